import type { Point } from '../domain/geo';
import { rangesCoveringCircles } from '../domain/geo';
import type { ServiceCategory } from '../schemas/vocabulary';
import { CELL_PRECISION, cellPartitionKey, queryCellReads, readsCoveringCircle, spanPerPartition } from './directory-index';
import type { Placement, Service } from '../schemas/directory';
import { placementFromMatchItem, serviceCategoryCellKey, serviceFromMatchItem } from './match-cards';
import { inactiveProviderIds } from './providers';
import { HarborTable } from './table';

/**
 * The reads of one match, from the matching index (gsi4, see match-cards.ts) — never a Scan:
 * each item there is a placement's or service's match card and, for placements, the live
 * capacity map. At 10k placements a 300-mile match reads about 5,400 placements; whole items
 * from the geo index would be about 9 MB.
 *
 * The objects returned hold only the card's fields (and capacity): typed as the entities because
 * the ranking reads no others (PLACEMENT_CARD_FIELDS and SERVICE_CARD_FIELDS name them).
 */

/**
 * Every placement in the cells covering the circle (the caller applies the true distance). A
 * placement whose provider is inactive comes back inactive, whatever its own flag says: the
 * ranking then excludes it with the rule `inactive`.
 */
export async function placementsForMatch(center: Point, radiusMiles: number): Promise<Placement[]> {
  const [items, inactiveProviders] = await Promise.all([
    queryCellReads(HarborTable.indexes.forMatching, (cell) => cellPartitionKey('PLACEMENT', cell), readsCoveringCircle(center, radiusMiles)),
    inactiveProviderIds(),
  ]);
  return items.map((item) => {
    const p = placementFromMatchItem(item);
    return inactiveProviders.has(p.providerId) ? { ...p, active: false } : p;
  }) as Placement[];
}

/**
 * The services of each category listed in the part of each cell partition that the circles of
 * `radiusMiles` around that category's points reach (`wraparoundReads`: the contenders with a gap
 * the category fills): per partition, one sort-key span from the first to the last 4-character
 * cell (about 21 × 12 miles) a circle intersects (`spanPerPartition`), and one Query per span and
 * category. Reading each run of cells apart would read fewer services but make three times the
 * requests (measured on DynamoDB Local: 96 spans 0.44 s, 333 runs 1.2 s).
 * Telehealth services are found when they are listed in one of those cells.
 */
export async function servicesForMatch(pointsByCategory: ReadonlyMap<ServiceCategory, readonly Point[]>, radiusMiles: number): Promise<Service[]> {
  const byCategory = await Promise.all(
    [...pointsByCategory].map(([category, points]) =>
      queryCellReads(
        HarborTable.indexes.forMatching,
        (cell) => serviceCategoryCellKey(cell, category),
        spanPerPartition(rangesCoveringCircles(points, radiusMiles, CELL_PRECISION, CELL_PRECISION + 1)),
      ),
    ),
  );
  return byCategory.flat().map(serviceFromMatchItem) as Service[];
}
