import type { Point } from '../domain/geo';
import { cellsCoveringCircle } from '../domain/geo';
import type { Placement, Service } from '../schemas/directory';
import type { ServiceCategory } from '../schemas/vocabulary';
import { tableName } from './client';
import type { DirectoryKind } from './directory-index';
import { CELL_PRECISION, cellPartitionKey } from './directory-index';
import { mapLimited } from './expressions';
import { queryAll } from './query-all';
import { HarborTable } from './table';

/**
 * The reads of one match, from the geo index (gsi1) like `itemsNear` — never a Scan — but
 * projected to the fields matching uses (a placement's description alone can be most of its
 * item) and, for services, filtered to the categories the youth's needs can use and read only
 * around the candidates that can make the top k. At 10k placements a 300-mile match otherwise
 * moves about 20 MB from DynamoDB per request.
 *
 * The partition key format is the one `directoryIndexKeys` (directory-index.ts) writes; it is
 * composed here and there only.
 */

const PLACEMENT_FIELDS = [
  'id', 'providerId', 'name', 'type', 'location', 'population', 'specializations', 'traumaModels', 'mentalHealthLevel',
  'security', 'runPrevention', 'languages', 'exclusions', 'acceptsOutOfState', 'license', 'intake', 'active', 'capacity',
] as const;
const SERVICE_FIELDS = [
  'id', 'providerId', 'name', 'category', 'location', 'serviceArea', 'modality', 'population', 'languages', 'waitDays', 'openSlots', 'active',
] as const;

function projection(fields: readonly string[]) {
  const names: Record<string, string> = {};
  fields.forEach((f, i) => (names[`#p${i}`] = f));
  return { ProjectionExpression: Object.keys(names).join(', '), names };
}

async function queryCells(kind: DirectoryKind, cells: readonly string[], fields: readonly string[], filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> }) {
  const index = HarborTable.indexes.byCell;
  const proj = projection(fields);
  const pages = await mapLimited(cells, 16, (cell) =>
    queryAll({
      TableName: tableName(),
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: proj.ProjectionExpression,
      ...(filter ? { FilterExpression: filter.expression } : {}),
      ExpressionAttributeNames: { '#pk': index.partitionKey, ...proj.names, ...filter?.names },
      ExpressionAttributeValues: { ':pk': cellPartitionKey(kind, cell), ...filter?.values },
    }),
  );
  return pages.flat();
}

/** Every placement in the cells covering the circle (the caller applies the true distance). */
export async function placementsForMatch(center: Point, radiusMiles: number): Promise<Placement[]> {
  const cells = cellsCoveringCircle(center, radiusMiles, CELL_PRECISION);
  return (await queryCells('PLACEMENT', cells, PLACEMENT_FIELDS)) as unknown as Placement[];
}

/**
 * The services of `categories` in the cells covering a circle of `radiusMiles` around any of
 * `points` (each cell read once). Telehealth services are found when they are listed in one of
 * those cells.
 */
export async function servicesForMatch(points: readonly Point[], radiusMiles: number, categories: readonly ServiceCategory[]): Promise<Service[]> {
  if (points.length === 0 || categories.length === 0) return [];
  const cells = new Set<string>();
  for (const p of points) for (const cell of cellsCoveringCircle(p, radiusMiles, CELL_PRECISION)) cells.add(cell);
  const values: Record<string, unknown> = {};
  categories.forEach((c, i) => (values[`:c${i}`] = c));
  const filter = { expression: `#category IN (${Object.keys(values).join(', ')})`, names: { '#category': 'category' }, values };
  return (await queryCells('SERVICE', [...cells].sort(), SERVICE_FIELDS, filter)) as unknown as Service[];
}
