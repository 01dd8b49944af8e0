import { distanceMiles } from '../geo';
import type { Placement, Service } from '../../schemas/directory';
import type { ServiceCategory, YouthNeed } from '../../schemas/vocabulary';
import { NEED_SERVICE_CATEGORIES, NEED_WEIGHTS, needCoverage } from './needs';
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

function servesYouth(s: Service, youth: ResolvedYouth): boolean {
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

/** Cells per wraparound radius: smaller cells let the ring search stop after the first ring or two. */
const CELLS_PER_RADIUS = 4;
/** Margin for the flat-earth cell geometry against the haversine distance. */
const GEOMETRY_SAFETY = 0.98;

const waitFactor = (s: Service) => ((s.waitDays ?? 0) > 14 || s.openSlots === 0 ? WAIT_PENALTY : 1);

/**
 * In-person services of the categories a youth's needs can use, in a compressed grid: one
 * counting sort of service indices by (category, cell), so building it touches each service once
 * with no allocation per service, and a cell's services are a slice of one typed array.
 */
interface ServiceGrid {
  categories: Map<ServiceCategory, number>;
  minIx: number;
  minIy: number;
  w: number;
  h: number;
  /** starts[key] .. starts[key + 1] index `order` for cell key (category, ix, iy). */
  starts: Int32Array;
  order: Int32Array;
  /** Telehealth services (telehealth or both) per category. */
  telehealth: Map<ServiceCategory, Service[]>;
}

/**
 * Finds, per placement and need, the best service within `radiusMiles` in person, or by
 * telehealth serving the placement's state. In-person services are searched ring by ring
 * outwards from the placement's grid cell, stopping once no service further out could beat the
 * best found (quality falls with distance). The grid is built on first use, so a youth with no
 * need a service can meet costs nothing.
 */
export class ServiceFinder {
  private readonly cellMiles: number;
  private readonly latDeg: number;
  private readonly lonDeg: number;
  private readonly cosCentre: number;
  private grid: ServiceGrid | undefined;
  /** The best telehealth service per category, state and county asked about (null: none). */
  private readonly telehealthBest = new Map<string, Service | null>();

  /**
   * @param reachMiles how far from the youth placements can be (the search radius): in-person
   *   services further than that plus `radiusMiles` can serve no candidate and are not indexed.
   */
  constructor(
    private readonly services: readonly Service[],
    private readonly youth: ResolvedYouth,
    private readonly radiusMiles: number,
    private readonly reachMiles?: number,
  ) {
    // Cells are square at the search centre's latitude; further north or south they are
    // narrower or wider in miles, which `best` accounts for.
    this.cellMiles = radiusMiles / CELLS_PER_RADIUS;
    this.cosCentre = Math.max(0.05, Math.cos((youth.point.lat * Math.PI) / 180));
    this.latDeg = this.cellMiles / MILES_PER_DEGREE_LAT;
    this.lonDeg = this.cellMiles / (MILES_PER_DEGREE_LON_AT_EQUATOR * this.cosCentre);
  }

  private build(extra?: ServiceCategory): ServiceGrid {
    const wanted = new Set(this.youth.profile.needs.flatMap((need) => NEED_SERVICE_CATEGORIES[need]));
    if (this.grid) for (const c of this.grid.categories.keys()) wanted.add(c);
    if (extra) wanted.add(extra);
    const categories = new Map([...wanted].map((c, i) => [c, i]));
    const telehealth = new Map<ServiceCategory, Service[]>([...wanted].map((c) => [c, []]));
    const services = this.services;
    const n = services.length;
    // The indexed services' positions in `services`, with their cell and category.
    const indexed = new Int32Array(n);
    const ixs = new Int32Array(n);
    const iys = new Int32Array(n);
    const cats = new Int32Array(n);
    let m = 0;
    // The box in-person services must lie in to be within reach of any candidate.
    const reach = this.reachMiles === undefined ? Infinity : this.reachMiles + this.radiusMiles;
    const latReach = reach / 68;
    const lonReach = Number.isFinite(reach) ? reach / (68 * Math.max(0.05, Math.cos((Math.min(89, Math.abs(this.youth.point.lat) + latReach) * Math.PI) / 180))) : Infinity;
    let minIx = Infinity;
    let minIy = Infinity;
    let maxIx = -Infinity;
    let maxIy = -Infinity;
    for (let i = 0; i < n; i++) {
      const s = services[i]!;
      const c = categories.get(s.category);
      if (c === undefined) continue;
      if (s.modality !== 'in_person') telehealth.get(s.category)!.push(s);
      if (s.modality === 'telehealth') continue;
      const { lat, lon } = s.location;
      if (Math.abs(lat - this.youth.point.lat) > latReach || Math.abs(lon - this.youth.point.lon) > lonReach) continue;
      const ix = Math.floor(lat / this.latDeg);
      const iy = Math.floor(lon / this.lonDeg);
      indexed[m] = i;
      ixs[m] = ix;
      iys[m] = iy;
      cats[m] = c;
      m++;
      if (ix < minIx) minIx = ix;
      if (ix > maxIx) maxIx = ix;
      if (iy < minIy) minIy = iy;
      if (iy > maxIy) maxIy = iy;
    }
    const w = maxIx >= minIx ? maxIx - minIx + 1 : 0;
    const h = maxIy >= minIy ? maxIy - minIy + 1 : 0;
    const starts = new Int32Array(categories.size * w * h + 1);
    const keys = new Int32Array(m);
    for (let j = 0; j < m; j++) {
      keys[j] = (cats[j]! * w + (ixs[j]! - minIx)) * h + (iys[j]! - minIy);
      starts[keys[j]! + 1]!++;
    }
    for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
    const next = starts.slice(0, Math.max(0, starts.length - 1));
    const order = new Int32Array(m);
    for (let j = 0; j < m; j++) order[next[keys[j]!]!++] = indexed[j]!;
    return { categories, minIx: w ? minIx : 0, minIy: h ? minIy : 0, w, h, starts, order, telehealth };
  }

  private gridFor(category: ServiceCategory): ServiceGrid {
    if (!this.grid || !this.grid.categories.has(category)) this.grid = this.build(category);
    return this.grid;
  }

  /** The best telehealth service of the category serving the youth and placement `p` (quality, then id). */
  private telehealthFor(grid: ServiceGrid, category: ServiceCategory, p: Placement): Service | null {
    const key = `${category}|${p.location.state}|${p.location.county ?? ''}`;
    let found = this.telehealthBest.get(key);
    if (found !== undefined) return found;
    found = null;
    let foundQuality = -1;
    for (const s of grid.telehealth.get(category) ?? []) {
      const q = waitFactor(s);
      if ((q > foundQuality || (q === foundQuality && s.id < found!.id)) && servesYouth(s, this.youth) && areaIncludes(s, p, null)) {
        found = s;
        foundQuality = q;
      }
    }
    this.telehealthBest.set(key, found);
    return found;
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
      const c = grid.categories.get(category)!;
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
              const key = (c * grid.w + ix) * grid.h + iy;
              for (let j = grid.starts[key]!; j < grid.starts[key + 1]!; j++) {
                const s = this.services[grid.order[j]!]!;
                const d = distanceMiles(at, s.location);
                if (d > this.radiusMiles || !servesYouth(s, this.youth) || !areaIncludes(s, p, d)) continue;
                consider(s, d, (1 - (1 - EDGE_QUALITY) * (d / this.radiusMiles)) * waitFactor(s) * categoryFactor);
              }
            }
          }
        }
      }
      const tele = this.telehealthFor(grid, category, p);
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
