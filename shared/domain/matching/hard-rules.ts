import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import { EXCLUSIONS, GENDERS, PLACEMENT_TYPES } from '../../schemas/vocabulary';
import type { Candidate } from './candidate';
import type { PackedPlacements } from './packed-placements';
import { dayNumber, PACKED, packedStateCode } from './packed-placements';
import type { ResolvedYouth } from './youth';

/**
 * Stage one of matching (DESIGN.md §4): rules a placement must pass to be offered at all. Each is
 * a named pure function returning its API.md code when the placement breaks it, else null, so an
 * excluded placement can list every rule it breaks, not just the first.
 */
export const HARD_RULE_CODES = [
  'inactive',
  'no_bed_available',
  'age_out_of_range',
  'gender_not_served',
  'exclusion_criteria',
  'keep_away_area',
  'too_far',
  'out_of_state_not_accepted',
  'pregnant_not_accepted',
  'parenting_not_accepted',
  'license_expired',
  'type_not_acceptable',
] as const;
export type HardRuleCode = (typeof HARD_RULE_CODES)[number];

export interface RuleContext {
  youth: ResolvedYouth;
  /** The youth's maximum distance, or the policy's default. */
  maxDistanceMiles: number;
  /** The caller asked to see full programs too (they are then ranked, with 0 beds). */
  includeFull: boolean;
  /** Today's UTC date, `YYYY-MM-DD`: a licence is valid through its expiry date. */
  today: string;
}

export type HardRule = (c: Candidate, ctx: RuleContext) => HardRuleCode | null;

export const requireActive: HardRule = (c) => (c.placement.active === false ? 'inactive' : null);

export const requireOpenBed: HardRule = (c, ctx) => (!ctx.includeFull && c.available <= 0 ? 'no_bed_available' : null);

export const requireAgeServed: HardRule = (c, ctx) => {
  const { minAge, maxAge } = c.placement.population;
  const age = ctx.youth.profile.age;
  return age < minAge || age > maxAge ? 'age_out_of_range' : null;
};

export const requireGenderServed: HardRule = (c, ctx) =>
  c.placement.population.genders.includes(ctx.youth.profile.gender) ? null : 'gender_not_served';

export const requireNoExcludedBehavior: HardRule = (c, ctx) => {
  const exclusions = c.placement.exclusions ?? [];
  return ctx.youth.profile.behaviors.some((b) => exclusions.includes(b)) ? 'exclusion_criteria' : null;
};

/** Absolute: no score, preference or caller option can bring a placement inside an area back. */
export const requireOutsideKeepAway: HardRule = (c, ctx) =>
  ctx.youth.keepAway.some((area) => distanceMiles(area, c.placement.location) <= area.radiusMiles) ? 'keep_away_area' : null;

export const requireWithinMaxDistance: HardRule = (c, ctx) => (c.distanceMiles > ctx.maxDistanceMiles ? 'too_far' : null);

export const requireStateAccepted: HardRule = (c, ctx) =>
  !c.placement.acceptsOutOfState && c.placement.location.state !== ctx.youth.state ? 'out_of_state_not_accepted' : null;

export const requirePregnancyAccepted: HardRule = (c, ctx) =>
  ctx.youth.profile.needs.includes('pregnant') && !c.placement.population.acceptsPregnant ? 'pregnant_not_accepted' : null;

export const requireParentingAccepted: HardRule = (c, ctx) =>
  ctx.youth.profile.needs.includes('parenting') && !c.placement.population.acceptsParenting ? 'parenting_not_accepted' : null;

export const requireCurrentLicence: HardRule = (c, ctx) => (c.placement.license.expires < ctx.today ? 'license_expired' : null);

export const requireAcceptableType: HardRule = (c, ctx) => {
  const types = ctx.youth.profile.preferences.placementTypes;
  return types && !types.includes(c.placement.type) ? 'type_not_acceptable' : null;
};

/** Every hard rule, in the order of API.md's codes. */
export const HARD_RULES: readonly HardRule[] = [
  requireActive,
  requireOpenBed,
  requireAgeServed,
  requireGenderServed,
  requireNoExcludedBehavior,
  requireOutsideKeepAway,
  requireWithinMaxDistance,
  requireStateAccepted,
  requirePregnancyAccepted,
  requireParentingAccepted,
  requireCurrentLicence,
  requireAcceptableType,
];

/** All the rules `c` breaks (empty when it is eligible). */
export function brokenRules(c: Candidate, ctx: RuleContext): HardRuleCode[] {
  const codes: HardRuleCode[] = [];
  for (const rule of HARD_RULES) {
    const code = rule(c, ctx);
    if (code) codes.push(code);
  }
  return codes;
}

/** Each rule's bit in a rule mask: bit i is HARD_RULE_CODES[i]. */
export const RULE_BIT = Object.fromEntries(HARD_RULE_CODES.map((code, i) => [code, 1 << i])) as Record<HardRuleCode, number>;

/** The codes of a rule mask, in API.md order. */
export function rulesOfMask(mask: number): HardRuleCode[] {
  const codes: HardRuleCode[] = [];
  for (let i = 0; i < HARD_RULE_CODES.length; i++) if (mask & (1 << i)) codes.push(HARD_RULE_CODES[i]!);
  return codes;
}

/** Miles per degree of latitude along a meridian on the sphere `distanceMiles` uses (3958.8 × π / 180 = 69.09): never less than 68. */
const MIN_MILES_PER_DEGREE_LAT = 68;
const EARTH_RADIUS_MILES = 3958.8;
const DEG = Math.PI / 180;

/**
 * A keep-away circle with the box around it that a placement must be in to be inside it. Outside
 * the box the placement is certainly outside the circle, so most placements are decided without
 * the haversine; inside it, the haversine decides exactly as `requireOutsideKeepAway` does.
 *
 * The box is generous on purpose. Latitude: a degree is never less than 68 miles. Longitude: for
 * points `dLon` apart whose latitudes lie in the box, the haversine term is at least
 * cos(lat₁)·cos(lat₂)·sin²(dLon/2) ≥ cos(lat₁)·minCos·sin²(dLon/2), so beyond the `dLon` at which
 * that reaches sin²(r / 2R) — widened by 1% against rounding — the distance exceeds the radius.
 */
export interface KeepAwayBox {
  lat: number;
  lon: number;
  radiusMiles: number;
  /** Degrees of latitude beyond which the circle cannot reach. */
  latReach: number;
  /** Degrees of longitude (0..180) beyond which the circle cannot reach; 180 when no bound holds (near a pole). */
  lonReach: number;
}

export function keepAwayBox(area: { lat: number; lon: number; radiusMiles: number }): KeepAwayBox {
  const latReach = area.radiusMiles / MIN_MILES_PER_DEGREE_LAT;
  const minCos = Math.cos(Math.min(90, Math.abs(area.lat) + latReach) * DEG);
  const sinHalf = Math.sin(Math.min(Math.PI / 2, area.radiusMiles / (2 * EARTH_RADIUS_MILES))) * 1.01;
  const product = Math.cos(area.lat * DEG) * minCos;
  const ratio = product > 0 ? sinHalf / Math.sqrt(product) : Infinity;
  const lonReach = ratio < 1 ? (2 * Math.asin(ratio)) / DEG : 180;
  return { lat: area.lat, lon: area.lon, radiusMiles: area.radiusMiles, latReach, lonReach: Number.isFinite(lonReach) ? lonReach : 180 };
}

/** Whether `at` lies inside the keep-away circle (≤ its radius): `requireOutsideKeepAway` for one area. */
export function insideKeepAway(box: KeepAwayBox, at: { lat: number; lon: number }): boolean {
  return insideKeepAwayAt(box, at.lat, at.lon);
}

/** `insideKeepAway` for a point given as two numbers (the packed columns). */
function insideKeepAwayAt(box: KeepAwayBox, lat: number, lon: number): boolean {
  if (!(Math.abs(lat - box.lat) <= box.latReach)) return false;
  // The longitude difference the other way round the globe when that is shorter (placements in
  // Guam and American Samoa sit on either side of the antimeridian).
  let dLon = Math.abs(lon - box.lon);
  if (dLon > 180) dLon = 360 - dLon;
  if (dLon > box.lonReach) return false;
  return distanceMiles(box, { lat, lon }) <= box.radiusMiles;
}

/** Whether `list` holds `value`: a plain loop, cheaper on a list of a few words than the builtin `includes` call. */
function listHas(list: readonly string[], value: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

/**
 * The hard rules compiled for one youth: a single function returning the mask of the rules a
 * placement breaks, with no allocation per placement. It is the matcher's hot path (100k
 * candidates in a few milliseconds); the named rules above are the specification, and a property
 * test checks the two agree on random directories and youth.
 *
 * Every rule is evaluated for every placement, even one already excluded: `excludedByRule` counts
 * each rule a placement breaks.
 */
export function compileHardRules(ctx: RuleContext): (p: Placement, distanceMiles: number, available: number) => number {
  const rulesBut = compileRulesButDistance(ctx);
  const { maxDistanceMiles } = ctx;
  return (p, distance, available) => rulesBut(p, available) | (distance > maxDistanceMiles ? RULE_BIT.too_far : 0);
}

/**
 * `compileHardRules` without `too_far`, for the matcher's loop, which adds that one itself from
 * the distance it has just computed: the compiled rules are too long to be inlined there, and a
 * distance passed to a call that is not inlined is boxed, an allocation per candidate.
 */
export function compileRulesButDistance(ctx: RuleContext): (p: Placement, available: number) => number {
  const { age, gender, behaviors, needs, preferences } = ctx.youth.profile;
  const pregnant = needs.includes('pregnant');
  const parenting = needs.includes('parenting');
  const types = preferences.placementTypes;
  const areas = ctx.youth.keepAway.map(keepAwayBox);
  const { includeFull, today } = ctx;
  const state = ctx.youth.state;
  const B = RULE_BIT;
  return (p, available) => {
    let mask = 0;
    if (p.active === false) mask |= B.inactive;
    if (!includeFull && available <= 0) mask |= B.no_bed_available;
    const pop = p.population;
    if (age < pop.minAge || age > pop.maxAge) mask |= B.age_out_of_range;
    if (!listHas(pop.genders, gender)) mask |= B.gender_not_served;
    if (behaviors.length > 0 && p.exclusions) {
      for (const b of behaviors) {
        if (listHas(p.exclusions, b)) {
          mask |= B.exclusion_criteria;
          break;
        }
      }
    }
    for (const a of areas) {
      if (insideKeepAway(a, p.location)) {
        mask |= B.keep_away_area;
        break;
      }
    }
    if (!p.acceptsOutOfState && p.location.state !== state) mask |= B.out_of_state_not_accepted;
    if (pregnant && !pop.acceptsPregnant) mask |= B.pregnant_not_accepted;
    if (parenting && !pop.acceptsParenting) mask |= B.parenting_not_accepted;
    if (p.license.expires < today) mask |= B.license_expired;
    if (types && !listHas(types, p.type)) mask |= B.type_not_acceptable;
    return mask;
  };
}

/**
 * `compileRulesButDistance` over packed placements (packed-placements.ts): the mask of the rules
 * the `i`-th placement breaks, `noBed` saying whether it has no open bed. The youth's side is
 * worked out once into bits, so most rules are one test of a column; a placement marked
 * `IRREGULAR` is judged from its object by the compiled rules above. A property test checks the
 * two give the same mask.
 */
export function compileRulesOnPacked(ctx: RuleContext, packed: PackedPlacements): (i: number, noBed: boolean) => number {
  const onObject = compileRulesButDistance(ctx);
  const { age, gender, behaviors, needs, preferences } = ctx.youth.profile;
  const genderBit = 1 << (PACKED.GENDERS_SHIFT + GENDERS.indexOf(gender));
  let behaviorBits = 0;
  for (const b of behaviors) behaviorBits |= 1 << EXCLUSIONS.indexOf(b);
  const types = preferences.placementTypes;
  let typeBits = 0;
  if (types) for (const t of types) typeBits |= 1 << PLACEMENT_TYPES.indexOf(t);
  const today = dayNumber(ctx.today);
  // The youth's words come from the same vocabularies (youth.ts); should one not, or the date not
  // be YYYY-MM-DD, every placement is judged from its object.
  const regularYouth = GENDERS.includes(gender) && behaviors.every((b) => EXCLUSIONS.includes(b)) && (!types || types.every((t) => PLACEMENT_TYPES.includes(t))) && today >= 0;
  const pregnant = needs.includes('pregnant');
  const parenting = needs.includes('parenting');
  const areas = ctx.youth.keepAway.map(keepAwayBox);
  const includeFull = ctx.includeFull;
  // -1 for a state outside the vocabulary, which no packed placement is in (as on the objects).
  const youthState = packedStateCode(ctx.youth.state);
  const { flags, minAge, maxAge, state, licenceExpires, exclusions, lat, lon, placements } = packed;
  const B = RULE_BIT;
  return (i, noBed) => {
    const f = flags[i]!;
    if (!regularYouth || f & PACKED.IRREGULAR) return onObject(placements[i]!, noBed ? 0 : 1);
    let mask = 0;
    if (f & PACKED.INACTIVE) mask |= B.inactive;
    if (!includeFull && noBed) mask |= B.no_bed_available;
    if (age < minAge[i]! || age > maxAge[i]!) mask |= B.age_out_of_range;
    if (!(f & genderBit)) mask |= B.gender_not_served;
    if (exclusions[i]! & behaviorBits) mask |= B.exclusion_criteria;
    for (let a = 0; a < areas.length; a++) {
      if (insideKeepAwayAt(areas[a]!, lat[i]!, lon[i]!)) {
        mask |= B.keep_away_area;
        break;
      }
    }
    if (!(f & PACKED.ACCEPTS_OUT_OF_STATE) && state[i] !== youthState) mask |= B.out_of_state_not_accepted;
    if (pregnant && !(f & PACKED.ACCEPTS_PREGNANT)) mask |= B.pregnant_not_accepted;
    if (parenting && !(f & PACKED.ACCEPTS_PARENTING)) mask |= B.parenting_not_accepted;
    if (licenceExpires[i]! < today) mask |= B.license_expired;
    if (types && !((1 << ((f >>> PACKED.TYPE_SHIFT) & 7)) & typeBits)) mask |= B.type_not_acceptable;
    return mask;
  };
}
