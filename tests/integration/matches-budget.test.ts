/**
 * A match stops reading placements, nearest first, once it holds enough it could offer (the read
 * budget, shared/data/match-candidates.ts). These check on DynamoDB Local that what it then
 * returns is exactly every placement within the radius it reports, that only placements the
 * youth could be offered count, that it never stops nearer than the minimum radius, and that the
 * same data gives the same answer; and, through the local server, that the response says so.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../shared/data/client';
import { resetConfig } from '../../shared/config/env';
import { MATCH_MAX_CELL_READS, MATCH_MIN_RADIUS_MILES, placementsForMatch } from '../../shared/data/match-candidates';
import { placementItem } from '../../shared/data/placements';
import { distanceMiles } from '../../shared/domain/geo';
import { passesRulesButDistance } from '../../shared/domain/matching/eligibility';
import { PACKED_COLUMNS, PackedPlacements } from '../../shared/domain/matching/packed-placements';
import { resolveYouth, YouthProfile } from '../../shared/domain/matching/youth';
import type { Placement } from '../../shared/schemas/directory';
import { putAll } from '../../scripts/bulk-write';
import { createAs, providerBody } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

const AUSTIN = { lat: 30.2672, lon: -97.7431 };
/** Clusters of placements at increasing distances from Austin; the two within 50 miles take only boys. */
const CLUSTERS = [
  { name: 'Austin', lat: 30.3, lon: -97.75, genders: ['male'] },
  { name: 'San Marcos', lat: 29.88, lon: -97.94, genders: ['male'] },
  { name: 'San Antonio', lat: 29.45, lon: -98.5, genders: ['female'] },
  { name: 'Houston', lat: 29.76, lon: -95.37, genders: ['female'] },
  { name: 'Dallas', lat: 32.78, lon: -96.8, genders: ['female'] },
  { name: 'Lubbock', lat: 33.58, lon: -101.85, genders: ['female'] },
] as const;
const PER_CLUSTER = 12;

let h: Harbor;
let caseworker: string;
const created: Placement[] = [];
const girl = YouthProfile.parse({ age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed'] });
const youth = resolveYouth(girl);
const offerable = passesRulesButDistance(youth, false, new Date());

beforeAll(async () => {
  // The local server reads the budget from the environment, as a deployed function would.
  process.env.MATCH_OFFERABLE_BUDGET = '20';
  resetConfig();
  h = await startHarbor();
  const admin = await h.tokenFor({ role: 'admin', sub: 'budget-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'budget-cw', agencyId: 'agency-travis' });
  const providerId = await createAs(h, admin, '/providers', providerBody({ name: 'Budget Provider' }));
  const at = new Date().toISOString();
  CLUSTERS.forEach((cluster, c) => {
    for (let i = 0; i < PER_CLUSTER; i++) {
      created.push({
        id: `plc-budget-${c}-${i}`,
        providerId,
        name: `${cluster.name} Home ${i + 1}`,
        type: 'group_home',
        location: { city: cluster.name, state: 'TX', zip: '78701', lat: cluster.lat + i * 0.01, lon: cluster.lon - i * 0.01, confidential: false },
        population: { minAge: 12, maxAge: 17, genders: [...cluster.genders], acceptsPregnant: false, acceptsParenting: false },
        specializations: ['csec'],
        traumaModels: [],
        mentalHealthLevel: 'none',
        security: 'staff_secure',
        runPrevention: false,
        languages: ['en'],
        exclusions: [],
        acceptsOutOfState: true,
        license: { number: `L-${c}-${i}`, expires: '2030-01-01' },
        intake: { twentyFourSeven: false, emergency: false },
        active: true,
        version: 1,
        createdAt: at,
        updatedAt: at,
        capacity: { total: 3, occupied: 0, holds: {}, version: 1, updatedAt: at, updatedBy: 'budget-admin', confirmedAt: at, confirmedBy: 'budget-admin' },
      } as Placement);
    }
  });
  await putAll(h.doc, h.tableName, created.map(placementItem));
});

afterAll(async () => {
  delete process.env.MATCH_OFFERABLE_BUDGET;
  resetConfig();
  await h?.close();
});

const ids = (ps: readonly Placement[]) => ps.map((p) => p.id).sort();
const within = (miles: number) => created.filter((p) => distanceMiles(AUSTIN, p.location) <= miles);
/** The rows the ranking reads are the placements returned, row for row, when the budget cuts them to a radius too. */
function expectPackedRowsOf(read: Awaited<ReturnType<typeof placementsForMatch>>) {
  const afresh = PackedPlacements.of(read.packed.placements);
  for (const column of PACKED_COLUMNS) expect([...read.packed[column]], column).toStrictEqual([...afresh[column]]);
}

describe('the read budget', () => {
  it('without a binding budget, every placement within the radius is read and the radius is the one asked for', async () => {
    const read = await placementsForMatch(youth.point, 300, offerable, Number.POSITIVE_INFINITY);
    expect(read.radiusMiles).toBe(300);
    expect(ids(read.packed.placements.filter((p) => distanceMiles(AUSTIN, p.location) <= 300))).toStrictEqual(ids(within(300)));
    expectPackedRowsOf(read);
  });

  it('a binding budget stops short, and what it returns is exactly every placement within the radius it reports', async () => {
    const read = await placementsForMatch(youth.point, 300, offerable, 20);
    expect(read.radiusMiles).toBeLessThan(300);
    expect(read.radiusMiles).toBeGreaterThanOrEqual(MATCH_MIN_RADIUS_MILES);
    expect(ids(read.packed.placements)).toStrictEqual(ids(within(read.radiusMiles)));
    // And the budget is met within that radius: the narrower search still holds 20 the girl could go to.
    expect(read.packed.placements.filter(offerable).length).toBeGreaterThanOrEqual(20);
    // Lubbock (about 340 miles away) is beyond any radius the budget leaves.
    expect(read.packed.placements.some((p) => p.location.city === 'Lubbock')).toBe(false);
    expectPackedRowsOf(read);
  });

  it('counts only what the youth could be offered: the boys-only homes nearby do not end a girl’s search', async () => {
    // Had every placement counted, the boys' homes within 50 miles would meet the budget, and the
    // girl would be offered nothing.
    const everything = await placementsForMatch(youth.point, 300, () => true, PER_CLUSTER);
    expect(everything.packed.placements.filter(offerable)).toHaveLength(0);
    const read = await placementsForMatch(youth.point, 300, offerable, PER_CLUSTER);
    expect(read.packed.placements.filter(offerable).length).toBeGreaterThanOrEqual(PER_CLUSTER);
    expect(read.radiusMiles).toBeGreaterThan(everything.radiusMiles);
    expect(ids(read.packed.placements)).toStrictEqual(ids(within(read.radiusMiles)));
  });

  it('never stops nearer than the minimum radius, however dense the nearest cell', async () => {
    const read = await placementsForMatch(youth.point, 300, () => true, 1);
    expect(read.radiusMiles).toBeGreaterThanOrEqual(MATCH_MIN_RADIUS_MILES);
    expect(ids(read.packed.placements)).toStrictEqual(ids(within(read.radiusMiles)));
  });

  it('the same data gives the same answer, whichever read answers first', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => placementsForMatch(youth.point, 300, offerable, 20)));
    for (const run of runs) {
      expect(run.radiusMiles).toBe(runs[0]!.radiusMiles);
      expect(ids(run.packed.placements)).toStrictEqual(ids(runs[0]!.packed.placements));
    }
  });

  it('reads at most MATCH_MAX_CELL_READS partitions, however far the youth will go, and says how far they reach', async () => {
    // 3,000 miles reaches ~3,800 partitions, nearly all empty; with no budget to meet, only the cap stops it.
    const client = documentClient();
    const queries = vi.spyOn(client, 'send');
    try {
      const read = await placementsForMatch(youth.point, 3000, offerable, Number.POSITIVE_INFINITY);
      expect(read.narrowedBy).toBe('reads');
      expect(read.radiusMiles).toBeGreaterThan(300);
      expect(read.radiusMiles).toBeLessThan(3000);
      expect(ids(read.packed.placements)).toStrictEqual(ids(within(read.radiusMiles)));
      // The inactive providers, then the reads: those under way when the cap was reached stop there.
      const sent = queries.mock.calls.filter(([command]) => command instanceof QueryCommand).length;
      expect(sent).toBeGreaterThanOrEqual(MATCH_MAX_CELL_READS);
      expect(sent).toBeLessThanOrEqual(MATCH_MAX_CELL_READS + 1);
    } finally {
      queries.mockRestore();
    }
  });

  it('POST /matches says when the search stopped at the most partitions one match reads', async () => {
    // No home in the directory takes a nonbinary youth, so no budget is met and the cap binds.
    const youth = { age: 15, gender: 'nonbinary', location: { zip: '78701' }, preferences: { maxDistanceMiles: 3000 } };
    const res = await h.request<{ searchRadiusMiles: number; narrowedSearch?: { requestedRadiusMiles: number; reason: string } }>('POST', '/matches', {
      token: caseworker,
      body: { youth },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.narrowedSearch?.requestedRadiusMiles).toBe(3000);
    expect(res.json.narrowedSearch?.reason).toBe(
      `A search reads at most the ${MATCH_MAX_CELL_READS} map areas nearest the youth; they cover every program within ${res.json.searchRadiusMiles} miles, so the search stopped there instead of reaching 3000 miles.`,
    );
  });

  it('POST /matches reports the radius it covered and why it stopped there', async () => {
    const res = await h.request<{ searchRadiusMiles: number; narrowedSearch?: { requestedRadiusMiles: number; reason: string }; results: { placementId: string; distanceMiles: number }[] }>(
      'POST',
      '/matches',
      { token: caseworker, body: { youth: girl, options: { limit: 100 } } },
    );
    expect(res.status, res.text).toBe(200);
    const { searchRadiusMiles, narrowedSearch, results } = res.json;
    expect(searchRadiusMiles).toBeLessThan(300);
    expect(narrowedSearch?.requestedRadiusMiles).toBe(300);
    expect(narrowedSearch?.reason).toContain(`within ${searchRadiusMiles} miles`);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.distanceMiles).toBeLessThanOrEqual(searchRadiusMiles);
    // Every girls' home within the reported radius is offered.
    const girlsWithin = within(searchRadiusMiles).filter((p) => p.population.genders.includes('female'));
    expect(results.map((r) => r.placementId).sort()).toStrictEqual(ids(girlsWithin));
  });
});
