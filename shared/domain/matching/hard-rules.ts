import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import type { Candidate } from './candidate';
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

/**
 * The hard rules compiled for one youth: a single function returning the mask of the rules a
 * placement breaks, with no allocation per placement. It is the matcher's hot path (100k
 * candidates in a few milliseconds); the named rules above are the specification, and a property
 * test checks the two agree on random directories and youth.
 */
export function compileHardRules(ctx: RuleContext): (p: Placement, distanceMiles: number, available: number) => number {
  const { age, gender, behaviors, needs, preferences } = ctx.youth.profile;
  const pregnant = needs.includes('pregnant');
  const parenting = needs.includes('parenting');
  const types = preferences.placementTypes;
  const areas = ctx.youth.keepAway.map((a) => ({ ...a, latReach: a.radiusMiles / 68 }));
  const { includeFull, maxDistanceMiles, today } = ctx;
  const state = ctx.youth.state;
  const B = RULE_BIT;
  return (p, distance, available) => {
    let mask = 0;
    if (p.active === false) mask |= B.inactive;
    if (!includeFull && available <= 0) mask |= B.no_bed_available;
    const pop = p.population;
    if (age < pop.minAge || age > pop.maxAge) mask |= B.age_out_of_range;
    if (!pop.genders.includes(gender)) mask |= B.gender_not_served;
    if (behaviors.length > 0 && p.exclusions) {
      for (const b of behaviors) {
        if (p.exclusions.includes(b)) {
          mask |= B.exclusion_criteria;
          break;
        }
      }
    }
    for (const a of areas) {
      // A degree of latitude is never less than 68 miles: far outside in latitude, skip the haversine.
      if (Math.abs(a.lat - p.location.lat) <= a.latReach && distanceMiles(a, p.location) <= a.radiusMiles) {
        mask |= B.keep_away_area;
        break;
      }
    }
    if (distance > maxDistanceMiles) mask |= B.too_far;
    if (!p.acceptsOutOfState && p.location.state !== state) mask |= B.out_of_state_not_accepted;
    if (pregnant && !pop.acceptsPregnant) mask |= B.pregnant_not_accepted;
    if (parenting && !pop.acceptsParenting) mask |= B.parenting_not_accepted;
    if (p.license.expires < today) mask |= B.license_expired;
    if (types && !types.includes(p.type)) mask |= B.type_not_acceptable;
    return mask;
  };
}
