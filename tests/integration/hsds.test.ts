/**
 * HSDS 3.0 export and import against DynamoDB Local: the seeded demo directory is exported through
 * the table's indexes, the document imported into a second table, and the two compared. The CLIs
 * are run once each as a person would run them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/dynamodb-local';
import { exportFromIndex } from '../../scripts/hsds-export';
import { writeImport } from '../../scripts/hsds-import';
import { ensureTable } from '../../scripts/local-table';
import { lookupZip } from '../../shared/domain/zip-codes';
import { importHsds } from '../../shared/hsds/import';
import type { HsdsDocument } from '../../shared/hsds/types';
import type { Placement } from '../../shared/schemas/directory';
import { deleteTable, scanItems, uniqueTableName } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

const run = promisify(execFile);

/** Directory items of a table by entity (Scan: assertions only). */
async function entities(harbor: Harbor, tableName: string) {
  const items = await scanItems(harbor.doc, tableName);
  const of = (entity: string) => items.filter((i) => i.entity === entity);
  return {
    providers: of('provider'),
    placements: of('placement') as unknown as Placement[],
    services: of('service'),
    history: of('capacity_history'),
    audit: of('audit'),
    telehealthListings: of('telehealth_listing').map((l) => `${String(l.pk)}|${String(l.sk)}|${String(l.gsi4pk)}|${String(l.gsi4sk)}`).sort(),
  };
}

describe('HSDS export from DynamoDB Local, import into a second table', () => {
  let harbor: Harbor;
  let second: string;
  let third: string;
  let workDir: string;
  let document: HsdsDocument;
  const now = new Date();

  beforeAll(async () => {
    harbor = await startHarbor({ seed: true });
    second = uniqueTableName('harbor-hsds');
    third = uniqueTableName('harbor-hsds-cli');
    await ensureTable(harbor.doc, second);
    workDir = await mkdtemp(join(tmpdir(), 'harbor-hsds-'));
    // The local server pointed this process at the harbor's table; the export reads it through the indexes.
    document = JSON.parse(JSON.stringify(await exportFromIndex({ now }))) as HsdsDocument;
  });

  afterAll(async () => {
    await deleteTable(harbor.doc, second);
    await deleteTable(harbor.doc, third);
    await harbor.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('exports every provider, placement and service of the table', async () => {
    const seeded = await entities(harbor, harbor.tableName);
    expect(seeded.providers.length).toBeGreaterThan(0);
    expect(document.organizations).toHaveLength(seeded.providers.length);
    expect(document.services).toHaveLength(seeded.placements.length + seeded.services.length);
    const placed = document.services.filter((s) => s.attributes!.some((a) => a.taxonomy_term!.code!.startsWith('placement_type:')));
    expect(placed).toHaveLength(seeded.placements.length);
    // No confidential street address made it out.
    const json = JSON.stringify(document);
    const leaks = seeded.placements.filter((p) => p.location.confidential && p.location.address && json.includes(p.location.address));
    expect(leaks.map((p) => p.id)).toEqual([]);
  });

  it('imports the document into a second table: the same counts, capacities and freshness', async () => {
    const result = importHsds(document, { now });
    expect(result.rejected).toEqual([]);
    const write = await writeImport({ doc: harbor.doc, tableName: second, result, now, source: 'integration test' });
    expect(write.skipped).toEqual([]);

    const before = await entities(harbor, harbor.tableName);
    const after = await entities(harbor, second);
    expect(write.written).toEqual({ providers: before.providers.length, placements: before.placements.length, services: before.services.length });
    expect(after.providers).toHaveLength(before.providers.length);
    expect(after.placements).toHaveLength(before.placements.length);
    expect(after.services).toHaveLength(before.services.length);

    // Each reported count: the same beds, as old as it was (not reported "now" by the import).
    const original = new Map(before.placements.map((p) => [p.id, p]));
    for (const p of after.placements) {
      const o = original.get(p.id)!;
      expect({ total: p.capacity.total, occupied: p.capacity.occupied }, p.id).toEqual({ total: o.capacity.total, occupied: o.capacity.occupied });
      const reported = [o.capacity.updatedAt, o.capacity.confirmedAt].filter((x): x is string => x !== null).sort().pop() ?? null;
      expect(p.capacity.updatedAt, p.id).toBe(reported);
    }
    expect(after.history).toHaveLength(after.placements.filter((p) => p.capacity.updatedAt).length);
    // Telehealth services listed in the same states, so matches find them as before.
    expect(before.telehealthListings.length).toBeGreaterThan(0);
    expect(after.telehealthListings).toStrictEqual(before.telehealthListings);

    // A safe house arrives without its street, placed at its ZIP's centroid.
    const safe = after.placements.find((p) => p.location.confidential)!;
    const zip = lookupZip(safe.location.zip)!;
    expect(safe.location.address).toBeUndefined();
    expect({ lat: safe.location.lat, lon: safe.location.lon }).toEqual({ lat: zip.lat, lon: zip.lon });

    // One audit record per object, and one of the import.
    const objects = after.providers.length + after.placements.length + after.services.length;
    expect(after.audit.filter((a) => String(a.action).endsWith('.import') && a.action !== 'directory.import')).toHaveLength(objects);
    expect(after.audit.filter((a) => a.action === 'directory.import')).toEqual([expect.objectContaining({ id: write.auditId, targetId: 'hsds-import' })]);
  });

  it('a second import of the same document overwrites nothing', async () => {
    const again = await writeImport({ doc: harbor.doc, tableName: second, result: importHsds(document, { now }), now });
    expect(again.written).toEqual({ providers: 0, placements: 0, services: 0 });
    expect(again.skipped).toHaveLength(document.organizations.length + document.services.length);
  });

  it('the CLIs: export one state, import it into a fresh table', { timeout: 120_000 }, async () => {
    const out = join(workDir, 'ok.json');
    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const exported = await run(tsx, ['scripts/hsds-export.ts', '--endpoint', harbor.endpoint, '--table', harbor.tableName, '--out', out, '--state', 'OK'], { cwd: REPO_ROOT, env });
    expect(exported.stdout).toMatch(/^Wrote \d+ organizations and \d+ services/);
    const ok = JSON.parse(await readFile(out, 'utf8')) as HsdsDocument;
    const seeded = await entities(harbor, harbor.tableName);
    const inOk = [...seeded.placements, ...(seeded.services as unknown as Placement[])].filter((x) => x.location.state === 'OK');
    expect(ok.services).toHaveLength(inOk.length);

    const dry = await run(tsx, ['scripts/hsds-import.ts', '--in', out, '--dry-run'], { cwd: REPO_ROOT, env });
    expect(dry.stdout).toContain('Dry run: nothing written.');

    const imported = await run(tsx, ['scripts/hsds-import.ts', '--endpoint', harbor.endpoint, '--table', third, '--in', out], { cwd: REPO_ROOT, env });
    expect(imported.stdout).toMatch(/Wrote \d+ providers, \d+ placements and \d+ services/);
    const after = await entities(harbor, third);
    expect(after.providers).toHaveLength(ok.organizations.length);
    expect(after.placements.length + after.services.length).toBe(ok.services.length);
  });
});
