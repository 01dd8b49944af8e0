import { distanceMiles } from '../geo';
import type { Placement, Service } from '../../schemas/directory';
import type { ServiceCategory, YouthNeed } from '../../schemas/vocabulary';
import { NEED_SERVICE_CATEGORIES, NEED_WEIGHTS, needCoverage } from './needs';
import { PackedServices, serviceCategoryCode } from './packed-services';
import type { ResolvedYouth } from './youth';

/**
 * Wraparound (DESIGN.md §4): for each need a placement does not meet itself, the best service
 * near it that does. Services are read once per match (from the geo index around the search
 * area) and bucketed here, so finding the service for one placement looks at a few grid cells,
 * not at every service.
 */

/** A service named in a match result because it covers a need the placement does not. */
export interface WraparoundItem {
  need: YouthNeed;
  serviceId: string;
  providerId: string;
  name: string;
  category: ServiceCategory;
  /** How the youth would receive it from this placement. */
  modality: 'in_person' | 'telehealth';
  /** From the placement, for in-person services; null for telehealth. */
  distanceMiles: number | null;
  waitDays?: number;
  openSlots?: number;
  /** How well it stands in for on-site care, 0..1 (nearer, in person, no wait is better). */
  quality: number;
}

/** Telehealth helps but does not replace a counsellor in the room for a trafficked child. */
export const TELEHEALTH_QUALITY = 0.55;
/** An in-person service at the edge of the radius is still worth this much of one next door. */
const EDGE_QUALITY = 0.6;
/** A wait over two weeks, or no open slot, makes a service a weaker stand-in. */
const WAIT_PENALTY = 0.6;
/** A need's second-choice category (survivor mentoring for CSEC counseling) counts slightly less. */
const LATER_CATEGORY_PENALTY = 0.1;

const MILES_PER_DEGREE_LAT = 68.7;
const MILES_PER_DEGREE_LON_AT_EQUATOR = 69.172;

const countyKey = (c: string | undefined) => (c ?? '').trim().toLowerCase().replace(/\s+county$/, '');

/** Whether the service takes the youth: active, and the youth's age, gender and (if named) a language. */
export function servesYouth(s: Service, youth: ResolvedYouth): boolean {
  if (s.active === false) return false;
  const { age, gender, languages } = youth.profile;
  if (age < s.population.minAge || age > s.population.maxAge) return false;
  if (!s.population.genders.includes(gender)) return false;
  // A youth who named no language is served in any; one who did needs at least one in common.
  if (languages.length === 0) return true;
  for (const l of languages) if (s.languages.includes(l)) return true;
  return false;
}

/** The service's own area (states, counties, radius) includes the placement. */
function areaIncludes(s: Service, p: Placement, distance: number | null): boolean {
  const area = s.serviceArea ?? { states: [], counties: [] };
  const states = area.states ?? [];
  const counties = area.counties ?? [];
  if (states.length > 0 ? !states.includes(p.location.state) : distance === null && s.location.state !== p.location.state) return false;
  if (counties.length > 0 && !counties.some((c) => countyKey(c) === countyKey(p.location.county))) return false;
  if (distance !== null && area.radiusMiles !== undefined && distance > area.radiusMiles) return false;
  return true;
}

/** Working arrays of `ServiceFinder.build`, an entry per service, kept from one build to the next: a build runs start to finish without yielding, so one set serves every finder. */
interface BuildScratch {
  indexed: Int32Array;
  ixs: Int32Array;
  iys: Int32Array;
  keys: Int32Array;
}
let scratch: BuildScratch | undefined;
function buildScratch(n: number): BuildScratch {
  if (!scratch || scratch.indexed.length < n) {
    const size = Math.max(n, 1024);
    scratch = { indexed: new Int32Array(size), ixs: new Int32Array(size), iys: new Int32Array(size), keys: new Int32Array(size) };
  }
  return scratch;
}

/** Cells per wraparound radius: smaller cells let the ring search stop after the first ring or two. */
const CELLS_PER_RADIUS = 4;
/** Margin for the flat-earth cell geometry against the haversine distance. */
const GEOMETRY_SAFETY = 0.98;

/** A wait over two weeks or no open slot: the service stands in less well (WAIT_PENALTY). */
export const hasWaitPenalty = (s: Pick<Service, 'waitDays' | 'openSlots'>) => (s.waitDays ?? 0) > 14 || s.openSlots === 0;
const waitFactor = (s: Service) => (hasWaitPenalty(s) ? WAIT_PENALTY : 1);

/**
 * The states a service serves by telehealth: none unless it offers telehealth; those its area
 * lists, else its own. (A service naming counties serves only those counties of these states.)
 */
export function telehealthStates(s: Pick<Service, 'modality' | 'serviceArea' | 'location'>): readonly string[] {
  if (s.modality === 'in_person') return [];
  const listed = s.serviceArea?.states ?? [];
  return listed.length > 0 ? listed : [s.location.state];
}

/**
 * The services of one category that lie within reach, in a compressed grid: one counting sort of
 * service indices by cell, so building it touches each of them once with no allocation per
 * service, and a cell's services are a slice of one typed array. Services are placed by location
 * only: the in-person search passes over telehealth-only ones, and telehealth is looked up
 * separately (`telehealthByState`).
 */
interface ServiceGrid {
  minIx: number;
  minIy: number;
  w: number;
  h: number;
  /** starts[key] .. starts[key + 1] index `order` for cell key (ix, iy). */
  starts: Int32Array;
  order: Int32Array;
}

/** The best telehealth services of one category for placements in one state (see `telehealthByState`). */
interface TelehealthInState {
  /** The best (quality, then id) of those serving the whole state, or null. */
  statewide: Service | null;
  statewideQuality: number;
  /** Those serving only some counties of the state (rare): checked per county. */
  byCounty: Service[];
}

/**
 * Finds, per placement and need, the best service within `radiusMiles` in person, or by
 * telehealth serving the placement's state. In-person services are searched ring by ring
 * outwards from the placement's grid cell, stopping once no service further out could beat the
 * best found (quality falls with distance). A category's grid is built the first time a
 * placement needs it, so a youth with no need a service can meet costs nothing.
 */
export class ServiceFinder {
  private readonly cellMiles: number;
  private readonly latDeg: number;
  private readonly lonDeg: number;
  private readonly cosCentre: number;
  private readonly services: readonly Service[];
  /** The services' categories, telehealth flags and coordinates, packed when first needed unless they came packed. */
  private packedServices: PackedServices | undefined;
  private readonly grids = new Map<ServiceCategory, ServiceGrid>();
  /** The best telehealth service per category, state and county asked about (null: none). */
  private readonly telehealthBest = new Map<string, Service | null>();
  /** Per category, the telehealth services serving the youth, by the state they serve. */
  private readonly telehealthByCategory = new Map<ServiceCategory, Map<string, TelehealthInState>>();

  /**
   * @param reachMiles how far from the youth placements can be (the search radius): in-person
   *   services further than that plus `radiusMiles` can serve no candidate and are not indexed.
   */
  constructor(
    services: readonly Service[] | PackedServices,
    private readonly youth: ResolvedYouth,
    private readonly radiusMiles: number,
    private readonly reachMiles?: number,
  ) {
    this.packedServices = services instanceof PackedServices ? services : undefined;
    this.services = services instanceof PackedServices ? services.services : services;
    // Cells are square at the search centre's latitude; further north or south they are
    // narrower or wider in miles, which `best` accounts for.
    this.cellMiles = radiusMiles / CELLS_PER_RADIUS;
    this.cosCentre = Math.max(0.05, Math.cos((youth.point.lat * Math.PI) / 180));
    this.latDeg = this.cellMiles / MILES_PER_DEGREE_LAT;
    this.lonDeg = this.cellMiles / (MILES_PER_DEGREE_LON_AT_EQUATOR * this.cosCentre);
  }

  /**
   * The grid of one category, built the first time a placement needs it: a match searches only
   * the categories its few best contenders lack on site (education whenever the youth needs it:
   * no placement provides it on site), so only those are indexed, from the packed columns
   * (packed-services.ts): reading each service's object here would be a cache miss per service.
   */
  private gridFor(category: ServiceCategory): ServiceGrid {
    let grid = this.grids.get(category);
    if (!grid) this.grids.set(category, (grid = this.build(category)));
    return grid;
  }

  private packed(): PackedServices {
    return (this.packedServices ??= PackedServices.of(this.services));
  }

  private build(category: ServiceCategory): ServiceGrid {
    const { size: n, category: categoryOf, lat: lats, lon: lons } = this.packed();
    const code = serviceCategoryCode(category);
    // The indexed services' positions in `services`, with their cell.
    const { indexed, ixs, iys, keys } = buildScratch(n);
    let m = 0;
    // The box in-person services must lie in to be within reach of any candidate.
    const reach = this.reachMiles === undefined ? Infinity : this.reachMiles + this.radiusMiles;
    const latReach = reach / 68;
    const lonReach = Number.isFinite(reach) ? reach / (68 * Math.max(0.05, Math.cos((Math.min(89, Math.abs(this.youth.point.lat) + latReach) * Math.PI) / 180))) : Infinity;
    const { lat: youthLat, lon: youthLon } = this.youth.point;
    let minIx = Infinity;
    let minIy = Infinity;
    let maxIx = -Infinity;
    let maxIy = -Infinity;
    for (let i = 0; i < n; i++) {
      if (categoryOf[i] !== code) continue;
      const lat = lats[i]!;
      const lon = lons[i]!;
      if (Math.abs(lat - youthLat) > latReach || Math.abs(lon - youthLon) > lonReach) continue;
      const ix = Math.floor(lat / this.latDeg);
      const iy = Math.floor(lon / this.lonDeg);
      indexed[m] = i;
      ixs[m] = ix;
      iys[m] = iy;
      m++;
      if (ix < minIx) minIx = ix;
      if (ix > maxIx) maxIx = ix;
      if (iy < minIy) minIy = iy;
      if (iy > maxIy) maxIy = iy;
    }
    const w = maxIx >= minIx ? maxIx - minIx + 1 : 0;
    const h = maxIy >= minIy ? maxIy - minIy + 1 : 0;
    const starts = new Int32Array(w * h + 1);
    for (let j = 0; j < m; j++) {
      keys[j] = (ixs[j]! - minIx) * h + (iys[j]! - minIy);
      starts[keys[j]! + 1]!++;
    }
    for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
    const next = starts.slice(0, starts.length - 1);
    const order = new Int32Array(m);
    for (let j = 0; j < m; j++) order[next[keys[j]!]!++] = indexed[j]!;
    return { minIx: w ? minIx : 0, minIy: h ? minIy : 0, w, h, starts, order };
  }

  /** The best telehealth service of the category serving the youth and placement `p` (quality, then id). */
  private telehealthFor(category: ServiceCategory, p: Placement): Service | null {
    const key = `${category}|${p.location.state}|${p.location.county ?? ''}`;
    let found = this.telehealthBest.get(key);
    if (found !== undefined) return found;
    const inState = this.telehealthByState(category).get(p.location.state);
    found = inState?.statewide ?? null;
    let foundQuality = inState?.statewideQuality ?? -1;
    for (const s of inState?.byCounty ?? []) {
      const q = waitFactor(s);
      if ((q > foundQuality || (q === foundQuality && s.id < found!.id)) && areaIncludes(s, p, null)) {
        found = s;
        foundQuality = q;
      }
    }
    this.telehealthBest.set(key, found);
    return found;
  }

  /**
   * The telehealth services of a category that serve the youth, sorted once by the state they
   * serve (those listed, else their own): a telehealth service serves a placement when it serves
   * the placement's state and, if it names counties, the placement's county. One pass over the
   * category's telehealth services, whatever the number of states and counties asked about.
   */
  private telehealthByState(category: ServiceCategory): Map<string, TelehealthInState> {
    let byState = this.telehealthByCategory.get(category);
    if (byState) return byState;
    byState = new Map();
    const { size: n, category: categoryOf, telehealth } = this.packed();
    const code = serviceCategoryCode(category);
    for (let i = 0; i < n; i++) {
      if (categoryOf[i] !== code || !telehealth[i]) continue;
      const s = this.services[i]!;
      const q = waitFactor(s);
      const countyBound = (s.serviceArea?.counties ?? []).length > 0;
      const states = telehealthStates(s);
      // Whether it serves the youth is asked only of a service that would be kept: most are not.
      let serves: boolean | undefined;
      for (const state of states) {
        let entry = byState.get(state);
        if (!entry) byState.set(state, (entry = { statewide: null, statewideQuality: -1, byCounty: [] }));
        const kept = countyBound || q > entry.statewideQuality || (q === entry.statewideQuality && s.id < entry.statewide!.id);
        if (!kept || !(serves ??= servesYouth(s, this.youth))) continue;
        if (countyBound) entry.byCounty.push(s);
        else {
          entry.statewide = s;
          entry.statewideQuality = q;
        }
      }
    }
    this.telehealthByCategory.set(category, byState);
    return byState;
  }

  /** The best service for `need` at placement `p`, or null when none qualifies. */
  best(need: YouthNeed, p: Placement): WraparoundItem | null {
    let best: WraparoundItem | null = null;
    // The exact distance of `best` (Infinity for telehealth): ties are broken on it, not on the rounded one shown.
    let bestDistance = Infinity;
    let category: ServiceCategory = 'case_management';
    const consider = (s: Service, distance: number | null, quality: number) => {
      const d = distance ?? Infinity;
      if (best && !isBetter(quality, d, s.id, best.quality, bestDistance, best.serviceId)) return;
      best = {
        need,
        serviceId: s.id,
        providerId: s.providerId,
        name: s.name,
        category,
        modality: distance === null ? 'telehealth' : 'in_person',
        distanceMiles: distance === null ? null : Math.round(distance * 10) / 10,
        ...(s.waitDays !== undefined ? { waitDays: s.waitDays } : {}),
        ...(s.openSlots !== undefined ? { openSlots: s.openSlots } : {}),
        quality,
      };
      bestDistance = d;
    };
    const bestQuality = () => (best as WraparoundItem | null)?.quality ?? -1;

    const categories = NEED_SERVICE_CATEGORIES[need];
    for (let rank = 0; rank < categories.length; rank++) {
      category = categories[rank]!;
      const categoryFactor = 1 - LATER_CATEGORY_PENALTY * rank;
      const grid = this.gridFor(category);
      if (grid.w > 0) {
        const at = p.location;
        const cosHere = Math.max(0.05, Math.cos((at.lat * Math.PI) / 180));
        // The smallest extent of a cell here, in miles: each ring out is at least this much further.
        const minCell = this.cellMiles * Math.min(1, cosHere / this.cosCentre) * GEOMETRY_SAFETY;
        const ix0 = Math.floor(at.lat / this.latDeg) - grid.minIx;
        const iy0 = Math.floor(at.lon / this.lonDeg) - grid.minIy;
        for (let ring = 0; ; ring++) {
          const nearest = Math.max(0, (ring - 1) * minCell);
          if (nearest > this.radiusMiles) break;
          // No service in this ring or beyond can beat the best found: stop.
          if ((1 - (1 - EDGE_QUALITY) * (nearest / this.radiusMiles)) * categoryFactor < bestQuality()) break;
          for (let dx = -ring; dx <= ring; dx++) {
            const ix = ix0 + dx;
            if (ix < 0 || ix >= grid.w) continue;
            const step = dx === -ring || dx === ring ? 1 : 2 * ring;
            for (let dy = -ring; dy <= ring; dy += step) {
              const iy = iy0 + dy;
              if (iy < 0 || iy >= grid.h) continue;
              const key = ix * grid.h + iy;
              for (let j = grid.starts[key]!; j < grid.starts[key + 1]!; j++) {
                const s = this.services[grid.order[j]!]!;
                if (s.modality === 'telehealth') continue;
                const d = distanceMiles(at, s.location);
                if (d > this.radiusMiles || !servesYouth(s, this.youth) || !areaIncludes(s, p, d)) continue;
                consider(s, d, (1 - (1 - EDGE_QUALITY) * (d / this.radiusMiles)) * waitFactor(s) * categoryFactor);
              }
            }
          }
        }
      }
      // No telehealth service of this category can beat an in-person one found at least as good
      // (telehealth is scored at most TELEHEALTH_QUALITY, and loses ties on distance): skip it.
      const teleAtBest = TELEHEALTH_QUALITY * categoryFactor;
      const settled = bestQuality() > teleAtBest || (bestQuality() === teleAtBest && bestDistance < Infinity);
      const tele = settled ? null : this.telehealthFor(category, p);
      if (tele) consider(tele, null, TELEHEALTH_QUALITY * waitFactor(tele) * categoryFactor);
    }
    return best;
  }
}

/** Higher quality wins; then the nearer (telehealth counts as infinitely far); then the smaller id. */
function isBetter(quality: number, distance: number, id: string, thanQuality: number, thanDistance: number, thanId: string): boolean {
  if (quality !== thanQuality) return quality > thanQuality;
  if (distance !== thanDistance) return distance < thanDistance;
  return id < thanId;
}

/** The wraparound of one placement: the service found for each need it does not fully meet. */
export interface Wraparound {
  items: WraparoundItem[];
  /** Needs the placement does not fully meet for which no service was found. */
  uncovered: YouthNeed[];
  /** 0..1: the share of the placement's unmet need (by weight) that services stand in for. */
  score: number;
}

export function wraparoundFor(p: Placement, youth: ResolvedYouth, finder: ServiceFinder): Wraparound {
  const items: WraparoundItem[] = [];
  const uncovered: YouthNeed[] = [];
  let gap = 0;
  let filled = 0;
  for (const need of youth.profile.needs) {
    const coverage = needCoverage(need, p, youth.profile);
    // A need no outside service can meet (an affirming home) is the needs score's business only.
    if (coverage >= 1 || NEED_SERVICE_CATEGORIES[need].length === 0) continue;
    const weight = NEED_WEIGHTS[need] * (1 - coverage);
    gap += weight;
    const item = finder.best(need, p);
    if (item) {
      items.push(item);
      filled += weight * item.quality;
    } else {
      uncovered.push(need);
    }
  }
  return { items, uncovered, score: gap === 0 ? 1 : filled / gap };
}
