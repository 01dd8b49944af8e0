import type { Point } from '../geo';
import type { Placement, Service } from '../../schemas/directory';
import type { ServiceCategory } from '../../schemas/vocabulary';
import { NEED_SERVICE_CATEGORIES, needCoverage } from './needs';
import { hasWaitPenalty, servesYouth } from './wraparound';
import type { ResolvedYouth } from './youth';

/** Where a contender is: its point, for in-person services, and its state, for telehealth. */
export type ContenderPlace = Point & { state: string };

/**
 * Where a match must look for services: for each service category, the contenders with a need of
 * the youth they do not fully meet themselves that the category can stand in for — the gaps
 * `wraparoundFor` fills, and nothing else. A contender that meets every need on site needs no
 * services around it, and one that lacks only a substance-use program needs only substance-use
 * treatment around it. The service layer reads each category within the wraparound radius of its
 * points, and its telehealth listings in their states (shared/data/match-candidates.ts).
 */
export function wraparoundReads(contenders: readonly Placement[], youth: ResolvedYouth): Map<ServiceCategory, ContenderPlace[]> {
  const reads = new Map<ServiceCategory, ContenderPlace[]>();
  for (const p of contenders) {
    const categories = new Set<ServiceCategory>();
    for (const need of youth.profile.needs) {
      if (needCoverage(need, p, youth.profile) < 1) for (const category of NEED_SERVICE_CATEGORIES[need]) categories.add(category);
    }
    for (const category of categories) {
      const points = reads.get(category) ?? [];
      points.push(p.location);
      reads.set(category, points);
    }
  }
  return reads;
}

/**
 * Telehealth listings (shared/data/telehealth-listings.ts) hold a category's telehealth services
 * per state they serve, in this order: no wait penalty first, then by id — the order in which
 * `ServiceFinder` prefers telehealth services, whose quality depends on nothing else (a
 * telehealth service has no distance). So a match reads a listing from the start only until a
 * service that settles it: one that takes the youth and serves the whole state (not just some
 * counties). It beats every service after it for every placement in the state; those before it
 * that name counties may still be the best in their counties, and have been read.
 */
export function telehealthListingOrder(s: Pick<Service, 'id' | 'waitDays' | 'openSlots'>): string {
  return `${hasWaitPenalty(s) ? 1 : 0}#${s.id}`;
}

/** A listed service after which nothing in its listing can be the best telehealth for this youth. */
export function settlesTelehealthListing(s: Service, youth: ResolvedYouth): boolean {
  return servesYouth(s, youth) && (s.serviceArea?.counties ?? []).length === 0;
}
