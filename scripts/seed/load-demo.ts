/**
 * Loads the demo directory into a Harbor table: every provider, placement and service as the same
 * item the API would store (providerItem / placementItem / serviceItems: a service and its telehealth listings), written with BatchWrite
 * (25 items a request, 8 requests in flight, unprocessed items retried with backoff), then one
 * audit record of the import.
 *
 * Used by `npm start` (first run on an empty data folder), the integration tests' `startHarbor({
 * seed: true })`, benchmarks and `scripts/seed/seed-cli.ts`. Writing the same scale and `now` again
 * overwrites the same keys (plus one more audit record).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../../shared/auth/actor';
import { auditItem, newAuditEntry } from '../../shared/data/audit';
import { capacityHistoryItem, placementItem } from '../../shared/data/placements';
import { providerItem } from '../../shared/data/providers';
import { serviceItems } from '../../shared/data/services';
import type { RetryPolicy } from '../bulk-write';
import { putAll } from '../bulk-write';
import type { DemoDirectory } from './demo-directory';
import { buildDemoDirectory } from './demo-directory';

export interface LoadDemoOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  scale?: number;
  now?: Date;
  seed?: number;
  /** BatchWrite requests in flight at once (default 8). */
  concurrency?: number;
  /** Retries of unprocessed items: how many, and the exponential backoff's base and cap. */
  retry?: Partial<RetryPolicy>;
  /** The directory to load, already built (by a caller that also needs it); default: built from scale, now and seed. */
  directory?: DemoDirectory;
}


export interface LoadDemoResult {
  providers: number;
  placements: number;
  services: number;
}


const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'admin', jurisdiction: [] };


export async function loadDemoDirectory(options: LoadDemoOptions): Promise<LoadDemoResult> {
  const { doc, tableName } = options;
  const now = options.now ?? new Date();
  const directory = options.directory ?? buildDemoDirectory({ scale: options.scale ?? 1, now, ...(options.seed !== undefined ? { seed: options.seed } : {}) });

  const items: Record<string, unknown>[] = [
    ...directory.providers.map(providerItem),
    ...directory.placements.map(placementItem),
    // Each reported count gets its history entry, as if the provider had reported it, so the
    // history route has the "who, when" of every count the demo shows.
    ...directory.placements.flatMap((p) =>
      p.capacity.updatedAt
        ? [
            capacityHistoryItem({
              placementId: p.id,
              action: 'report',
              at: p.capacity.updatedAt,
              by: p.capacity.updatedBy ?? 'system',
              role: 'provider',
              version: p.capacity.version,
              before: null,
              after: { total: p.capacity.total, occupied: p.capacity.occupied },
              requestId: `demo-import-${now.toISOString()}`,
            }),
          ]
        : [],
    ),
    ...directory.services.flatMap(serviceItems),
  ];
  await putAll(doc, tableName, items, { ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(options.retry ? { retry: options.retry } : {}) });

  const counts = { providers: directory.providers.length, placements: directory.placements.length, services: directory.services.length };
  const entry = newAuditEntry({
    actor: SYSTEM_ACTOR,
    action: 'directory.import',
    targetType: 'directory',
    targetId: 'demo',
    changes: {
      providers: { before: 0, after: counts.providers },
      placements: { before: 0, after: counts.placements },
      services: { before: 0, after: counts.services },
    },
    requestId: `demo-import-${now.toISOString()}`,
    at: new Date().toISOString(),
  });
  await doc.send(new PutCommand({ TableName: tableName, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }));
  return counts;
}
