import type { Point } from '../geo';
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
const WAIT_PENALTY = 0.75;
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
  return languages.length === 0 || languages.some((l) => s.languages.includes(l));
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

interface CategoryIndex {
  /** In-person services by grid cell. */
  cells: Map<number, Service[]>;
  /** Telehealth services (modality telehealth or both) by the states they serve; '*' = their own state. */
  telehealth: Service[];
}

/** Finds, per placement and need, the best service within `radiusMiles` in person or by telehealth. */
export class ServiceFinder {
  private readonly byCategory = new Map<ServiceCategory, Service[]>();
  private readonly indexes = new Map<ServiceCategory, CategoryIndex>();
  private readonly latDeg: number;
  private readonly lonDeg: number;

  constructor(
    services: readonly Service[],
    private readonly youth: ResolvedYouth,
    private readonly radiusMiles: number,
  ) {
    for (const s of services) {
      if (!servesYouth(s, youth)) continue;
      const list = this.byCategory.get(s.category);
      if (list) list.push(s);
      else this.byCategory.set(s.category, [s]);
    }
    // One cell is one radius tall; its width is one radius at the search centre's latitude
    // (queries further north or south look at more cells, see `nearby`).
    this.latDeg = radiusMiles / MILES_PER_DEGREE_LAT;
    this.lonDeg = radiusMiles / (MILES_PER_DEGREE_LON_AT_EQUATOR * Math.max(0.05, Math.cos((youth.point.lat * Math.PI) / 180)));
  }

  private cellKey(ix: number, iy: number): number {
    return (ix + 1_000_000) * 4_000_000 + (iy + 2_000_000);
  }

  private index(category: ServiceCategory): CategoryIndex {
    let idx = this.indexes.get(category);
    if (idx) return idx;
    idx = { cells: new Map(), telehealth: [] };
    for (const s of this.byCategory.get(category) ?? []) {
      if (s.modality !== 'telehealth') {
        const key = this.cellKey(Math.floor(s.location.lat / this.latDeg), Math.floor(s.location.lon / this.lonDeg));
        const cell = idx.cells.get(key);
        if (cell) cell.push(s);
        else idx.cells.set(key, [s]);
      }
      if (s.modality !== 'in_person') idx.telehealth.push(s);
    }
    this.indexes.set(category, idx);
    return idx;
  }

  /** In-person services of `category` whose cell could lie within the radius of `at`. */
  private *nearby(idx: CategoryIndex, at: Point): Generator<Service> {
    const cosLat = Math.max(0.05, Math.cos((at.lat * Math.PI) / 180));
    const lonSpan = Math.ceil((this.radiusMiles * 1.05) / (MILES_PER_DEGREE_LON_AT_EQUATOR * cosLat) / this.lonDeg);
    const ix0 = Math.floor(at.lat / this.latDeg);
    const iy0 = Math.floor(at.lon / this.lonDeg);
    for (let ix = ix0 - 1; ix <= ix0 + 1; ix++) {
      for (let iy = iy0 - lonSpan; iy <= iy0 + lonSpan; iy++) {
        const cell = idx.cells.get(this.cellKey(ix, iy));
        if (cell) yield* cell;
      }
    }
  }

  /** The best service for `need` at placement `p`, or null when none qualifies. */
  best(need: YouthNeed, p: Placement): WraparoundItem | null {
    let best: WraparoundItem | null = null;
    NEED_SERVICE_CATEGORIES[need].forEach((category, rank) => {
      const categoryFactor = 1 - LATER_CATEGORY_PENALTY * rank;
      const idx = this.index(category);
      const consider = (s: Service, modality: 'in_person' | 'telehealth', distance: number | null) => {
        const waitFactor = (s.waitDays ?? 0) > 14 || s.openSlots === 0 ? WAIT_PENALTY : 1;
        const base = distance === null ? TELEHEALTH_QUALITY : 1 - (1 - EDGE_QUALITY) * (distance / this.radiusMiles);
        const quality = base * waitFactor * categoryFactor;
        if (best && !isBetter(quality, distance, s.id, best)) return;
        best = {
          need,
          serviceId: s.id,
          providerId: s.providerId,
          name: s.name,
          category,
          modality,
          distanceMiles: distance === null ? null : Math.round(distance * 10) / 10,
          ...(s.waitDays !== undefined ? { waitDays: s.waitDays } : {}),
          ...(s.openSlots !== undefined ? { openSlots: s.openSlots } : {}),
          quality,
        };
      };
      for (const s of this.nearby(idx, p.location)) {
        const d = distanceMiles(p.location, s.location);
        if (d <= this.radiusMiles && areaIncludes(s, p, d)) consider(s, 'in_person', d);
      }
      for (const s of idx.telehealth) {
        if (areaIncludes(s, p, null)) consider(s, 'telehealth', null);
      }
    });
    return best;
  }
}

function isBetter(quality: number, distance: number | null, id: string, than: WraparoundItem): boolean {
  if (quality !== than.quality) return quality > than.quality;
  const d = distance ?? Infinity;
  const td = than.distanceMiles ?? Infinity;
  if (d !== td) return d < td;
  return id < than.serviceId;
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
