/**
 * Issue-2 figures: bed search near a ZIP and capacity update over the local server, on the demo
 * directory and on ten times it, beside one raw GetItem and one Query page on the same DynamoDB
 * Local in the same run.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { geohash } from '../../shared/domain/geo';
import { lookupZip } from '../../shared/domain/zip-codes';
import { cognitoClaims, signToken } from '../local-auth';
import { createLocalServer } from '../local-server';
import { ensureTable } from '../local-table';
import { loadDemoDirectory } from '../seed/load-demo';
import type { Summary } from './stats';
import { measure, ms, printTable, ratio } from './stats';

/** Metro ZIPs the demo directory is built around; searches rotate through them. */
const SEARCH_ZIPS = ['78701', '77002', '75201', '73102', '74103', '70112', '87102', '78205'];
const N = Number(process.env.BENCH_N ?? 200);

export interface DirectoryFigures {
  scale: number;
  placements: number;
  search: Summary;
  capacityUpdate: Summary;
  getItem: Summary;
  queryPage: Summary;
}

export async function benchDirectory(doc: DynamoDBDocumentClient, endpoint: string, scale: number): Promise<DirectoryFigures> {
  const tableName = `bench-directory-x${scale}`;
  await ensureTable(doc, tableName);
  const loadStart = performance.now();
  const counts = await loadDemoDirectory({ doc, tableName, scale });
  console.log(`  loaded scale ${scale}: ${counts.placements} placements, ${counts.services} services, ${counts.providers} providers in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const dataDir = await mkdtemp(join(tmpdir(), 'harbor-bench-'));
  const server = await createLocalServer({ port: 0, dataDir, tableName, endpoint, log: false, timers: false });
  try {
    const token = await signToken(cognitoClaims({ sub: 'bench-admin', role: 'admin' }), { dataDir });
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as { items: { id: string; capacity: { total: number; occupied: number; version: number } }[] };
    };

    const search = await measure(N, (i) => get(`/placements?near=${SEARCH_ZIPS[i % SEARCH_ZIPS.length]}&radiusMiles=50&limit=20`));

    // Capacity updates rotate over placements with room, each with its current version.
    const targets = (await get('/placements?near=78701&radiusMiles=100&limit=100')).items.filter((p) => p.capacity.total >= 2);
    const versions = new Map(targets.map((p) => [p.id, p.capacity.version]));
    const capacityUpdate = await measure(N, async (i) => {
      const p = targets[i % targets.length]!;
      const res = await fetch(`${server.url}/placements/${p.id}/capacity`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': String(versions.get(p.id)) },
        body: JSON.stringify({ total: p.capacity.total, occupied: i % 2 }),
      });
      if (res.status !== 200) throw new Error(`PUT capacity → ${res.status} ${await res.text()}`);
      versions.set(p.id, ((await res.json()) as { version: number }).version);
    });

    // The raw floor: the same engine, the same table, no HTTP, no handler.
    const someId = targets[0]!.id;
    const getItem = await measure(N, () => doc.send(new GetCommand({ TableName: tableName, Key: { pk: `PLACEMENT#${someId}`, sk: 'PLACEMENT' } })));
    const cell = geohash(lookupZip('78701')!, 3);
    const queryPage = await measure(N, () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': `PLACEMENT#CELL#${cell}` },
        }),
      ),
    );
    return { scale, placements: counts.placements, search, capacityUpdate, getItem, queryPage };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printDirectoryFigures(figures: DirectoryFigures[]): void {
  console.log('\nDirectory (issue 2): local server over HTTP vs. raw DynamoDB Local calls, same run');
  printTable(
    ['scale', 'placements', 'operation', 'p50', 'p95', 'p50 / GetItem p50', 'p50 / Query p50'],
    figures.flatMap((f) => [
      [`x${f.scale}`, String(f.placements), 'GET /placements near ZIP, 50 mi', ms(f.search.p50), ms(f.search.p95), ratio(f.search.p50, f.getItem.p50), ratio(f.search.p50, f.queryPage.p50)],
      [`x${f.scale}`, String(f.placements), 'PUT /placements/{id}/capacity', ms(f.capacityUpdate.p50), ms(f.capacityUpdate.p95), ratio(f.capacityUpdate.p50, f.getItem.p50), ratio(f.capacityUpdate.p50, f.queryPage.p50)],
      [`x${f.scale}`, String(f.placements), 'raw GetItem (placement)', ms(f.getItem.p50), ms(f.getItem.p95), '1.0×', ratio(f.getItem.p50, f.queryPage.p50)],
      [`x${f.scale}`, String(f.placements), 'raw Query page (one gsi1 cell)', ms(f.queryPage.p50), ms(f.queryPage.p95), ratio(f.queryPage.p50, f.getItem.p50), '1.0×'],
    ]),
  );
}
