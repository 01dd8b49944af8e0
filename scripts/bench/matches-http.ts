/**
 * `POST /matches` over the local server on DynamoDB Local, at demo scales, beside raw Query
 * pages on the same table in the same run. Figures only — nothing asserts a time.
 *
 * The directory is the demo directory at `scale` (~315 placements per unit), with its services
 * topped up to 3× the placements by copies of its own services moved up to ~6 miles (same
 * categories, modalities and populations; new ids), because the demo itself has about 2×.
 *
 * Two reference reads are timed, both the first Query page of a geo cell's placements as a bed
 * search reads it: the fullest cell of the directory (Oklahoma City's), whose first page is a
 * full 1 MB page from ×32 up — the most one Query returns, the unit DynamoDB defines a page by,
 * and the page the ×32 target is judged by (docs/matching.md, "The figures and the targets");
 * and the Austin cell (303 items at ×32, about half a page), the yardstick of the earlier figures.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceItems } from '../../shared/data/services';
import { geohash } from '../../shared/domain/geo';
import { lookupZip } from '../../shared/domain/zip-codes';
import type { Service } from '../../shared/schemas/directory';
import { putAll } from '../bulk-write';
import { cognitoClaims, signToken } from '../local-auth';
import { createLocalServer } from '../local-server';
import { ensureTable } from '../local-table';
import { mulberry32 } from '../seed/prng';
import type { Summary } from './stats';
import { measure, ms, printTable, ratio } from './stats';

export interface MatchFigures {
  scale: number;
  placements: number;
  services: number;
  /** The policy's default radius (300 miles); a string when a request failed. */
  match: Summary | string;
  /** The youth's own maximum of 100 miles. */
  match100: Summary | string;
  /** The radius each kind of match actually covered (less than asked where the read budget stopped it): min–max over the runs. */
  covered: { match: string; match100: string };
  cellPage: Summary & { items: number };
  /** The first page of the fullest cell (a full 1 MB page from ×32 up). */
  fullPage: Summary & { items: number; cell: string };
}

/** Copies of `services` (cycled) until there are `target` in all, each moved up to ~6 miles. */
export function topUpServices(services: readonly Service[], target: number, seed = 7): Service[] {
  const rnd = mulberry32(seed);
  const extra: Service[] = [];
  for (let i = 0; services.length + extra.length < target; i++) {
    const s = services[i % services.length]!;
    extra.push({
      ...s,
      id: `${s.id}-copy${Math.floor(i / services.length) + 1}`,
      name: `${s.name} (satellite)`,
      location: { ...s.location, lat: s.location.lat + (rnd() - 0.5) * 0.17, lon: s.location.lon + (rnd() - 0.5) * 0.2 },
    });
  }
  return extra;
}

/** Loads the demo directory at `scale` with services topped up to 3× placements. */
async function loadDirectory(doc: DynamoDBDocumentClient, tableName: string, scale: number) {
  // Imported here so scripts that only rank in process need no seed code.
  const { loadDemoDirectory } = await import('../seed/load-demo');
  const { buildDemoDirectory } = await import('../seed/demo-directory');
  const now = new Date();
  const started = performance.now();
  const demo = buildDemoDirectory({ scale, now });
  const counts = await loadDemoDirectory({ doc, tableName, now, directory: demo });
  const extra = topUpServices(demo.services, 3 * counts.placements);
  await putAll(doc, tableName, extra.flatMap(serviceItems));
  const services = counts.services + extra.length;
  console.log(`  loaded scale ${scale}: ${counts.placements} placements, ${services} services in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { placements: counts.placements, services, fullestCell: fullestCell(demo.placements.map((p) => p.location)) };
}

/** The geo cell (gsi1 partition) holding the most of these points. */
function fullestCell(points: readonly { lat: number; lon: number }[]): string {
  const counts = new Map<string, number>();
  for (const point of points) {
    const cell = geohash(point, 3);
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

/** POST /matches over HTTP on the demo directory at `scale`, and the reference Query pages beside it. */
export async function benchMatchesOverHttp(doc: DynamoDBDocumentClient, endpoint: string, scale: number, n: number): Promise<MatchFigures> {
  const tableName = `bench-matching-x${scale}`;
  await ensureTable(doc, tableName);
  const loaded = await loadDirectory(doc, tableName, scale);
  const dataDir = await mkdtemp(join(tmpdir(), 'harbor-bench-matching-'));
  const server = await createLocalServer({ port: 0, dataDir, tableName, endpoint, log: false, timers: false });
  try {
    const token = await signToken(cognitoClaims({ sub: 'bench-caseworker', role: 'caseworker', agencyId: 'agency-bench' }), { dataDir });
    const zips = ['78701', '77002', '75201', '73102', '74103', '78205'];
    /** Matches around the six metros in turn; a failed request ends the figure (and is reported). */
    const radii: Record<string, number[]> = { match: [], match100: [] };
    const matches = (maxDistanceMiles?: number) =>
      measureOrFail(n, async (i) => {
        const res = await fetch(`${server.url}/matches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            youth: {
              age: 15,
              gender: 'female',
              location: { zip: zips[i % zips.length] },
              needs: ['csec_confirmed', 'substance_use'],
              runRisk: 'high',
              languages: ['es', 'en'],
              ...(maxDistanceMiles ? { preferences: { maxDistanceMiles } } : {}),
            },
            options: { limit: 20 },
          }),
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`POST /matches → ${res.status} ${text.slice(0, 200)}`);
        radii[maxDistanceMiles ? 'match100' : 'match']!.push((JSON.parse(text) as { searchRadiusMiles: number }).searchRadiusMiles);
      });
    const match = await matches();
    const match100 = await matches(100);
    const cell = geohash(lookupZip('78701')!, 3);
    let cellItems = 0;
    const cellPage = await measure(n, async () => {
      const out = await doc.send(new QueryCommand({ TableName: tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `PLACEMENT#CELL#${cell}` } }));
      cellItems = out.Count ?? 0;
    });
    let fullItems = 0;
    const fullPage = await measure(n, async () => {
      const out = await doc.send(new QueryCommand({ TableName: tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `PLACEMENT#CELL#${loaded.fullestCell}` } }));
      fullItems = out.Count ?? 0;
    });
    const span = (xs: number[]) => (xs.length === 0 ? '' : `${Math.min(...xs)}–${Math.max(...xs)} mi`);
    const covered = { match: span(radii.match!), match100: span(radii.match100!) };
    const figures = { scale, placements: loaded.placements, services: loaded.services, match, match100, covered, cellPage: { ...cellPage, items: cellItems }, fullPage: { ...fullPage, items: fullItems, cell: loaded.fullestCell } };
    printMatchFigures([figures]);
    return figures;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Like `measure`, but a failure ends the figure with its message and how long the failing call took. */
async function measureOrFail(n: number, task: (i: number) => Promise<void>): Promise<Summary | string> {
  let started = 0;
  try {
    return await measure(n, async (i) => {
      started = performance.now();
      await task(i);
    }, Math.min(10, n));
  } catch (error) {
    return `failed after ${((performance.now() - started) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export function printMatchFigures(figures: MatchFigures[]): void {
  console.log('\nPOST /matches over the local server (limit 20) vs. raw Query pages, same run');
  const rows = figures.flatMap((f) =>
    ([['300 mi (policy default)', f.match, f.covered.match], ['100 mi (youth maximum)', f.match100, f.covered.match100]] as const).map(([radius, m, covered]) => [
      `x${f.scale}`,
      String(f.placements),
      String(f.services),
      radius,
      covered,
      typeof m === 'string' ? m : ms(m.p50),
      typeof m === 'string' ? '' : ms(m.p95),
      `${ms(f.cellPage.p50)} (${f.cellPage.items})`,
      typeof m === 'string' ? '' : ratio(m.p95, f.cellPage.p50),
      `${ms(f.fullPage.p50)} (${f.fullPage.items}, ${f.fullPage.cell})`,
      typeof m === 'string' ? '' : ratio(m.p95, f.fullPage.p50),
    ]),
  );
  printTable(['scale', 'placements', 'services', 'radius', 'covered', 'match p50', 'match p95', 'Austin cell page p50 (items)', 'p95 / cell page', 'fullest cell page p50 (items, cell)', 'p95 / fullest page (target ≤ 10× at ×32)'], rows);
}
