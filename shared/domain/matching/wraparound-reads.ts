import type { Point } from '../geo';
import type { Placement } from '../../schemas/directory';
import type { ServiceCategory } from '../../schemas/vocabulary';
import { NEED_SERVICE_CATEGORIES, needCoverage } from './needs';
import type { ResolvedYouth } from './youth';

/**
 * Where a match must look for services: for each service category, the contenders with a need of
 * the youth they do not fully meet themselves that the category can stand in for — the gaps
 * `wraparoundFor` fills, and nothing else. A contender that meets every need on site needs no
 * services around it, and one that lacks only a substance-use program needs only substance-use
 * treatment around it. The service layer reads each category within the wraparound radius of its
 * points only (shared/data/match-candidates.ts).
 */
export function wraparoundReads(contenders: readonly Placement[], youth: ResolvedYouth): Map<ServiceCategory, Point[]> {
  const reads = new Map<ServiceCategory, Point[]>();
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
