/**
 * `npx tsx scripts/bench-matching.ts`: how fast matching is. Figures only — nothing asserts a time.
 *
 * 1. In-process ranking (always): `rankPlacements` over 1k, 10k and 100k candidate placements
 *    with 3× as many services, all inside the search area (the worst case: every candidate read
 *    from the index is within reach), for three youth profiles, both as object literals and as a
 *    match has them (decoded from what the matching index returns). The candidates are packed
 *    before the clock starts, as a match packs them once read (placementsForMatch);
 *    what packing costs is printed beside. Target: 100k candidates < 50 ms.
 * 2. Over the local server (`--http`): `POST /matches` p50/p95 on DynamoDB Local with the demo
 *    directory at ~1k and ~10k placements and 3× services (`--http-full` adds ~100k; loading it
 *    takes a long time), beside raw Query pages on the same table in the same run, and their
 *    ratio (scripts/bench/matches-http.ts).
 *
 * BENCH_N sets the samples per figure (default 50 in-process, 40 over HTTP).
 */
import os from 'node:os';
import { createDocumentClient } from '../shared/data/client';
import { placementFromMatchItem, serviceFromMatchItem } from '../shared/data/match-cards';
import { placementItem } from '../shared/data/placements';
import { serviceItem } from '../shared/data/services';
import { HarborTable, indexedItem } from '../shared/data/table';
import { servicesAMatchReads } from '../shared/domain/matching/fixtures/service-reads';
import { PackedPlacements } from '../shared/domain/matching/packed-placements';
import { PackedServices } from '../shared/domain/matching/packed-services';
import { finishRanking, planRanking, rankPlacements } from '../shared/domain/matching/rank-placements';
import { wraparoundReads } from '../shared/domain/matching/wraparound-reads';
import type { ResolvedYouth } from '../shared/domain/matching/youth';
import { resolveYouth, YouthProfile } from '../shared/domain/matching/youth';
import { distanceMiles } from '../shared/domain/geo';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import type { Placement, Service } from '../shared/schemas/directory';
import {
  EXCLUSIONS,
  GENDERS,
  LANGUAGES,
  MENTAL_HEALTH_LEVELS,
  PLACEMENT_TYPES,
  SECURITY_LEVELS,
  SERVICE_CATEGORIES,
  SPECIALIZATIONS,
  TRAUMA_MODELS,
} from '../shared/schemas/vocabulary';
import { ms, printTable } from './bench/stats';
import { startDynamoDbLocal } from './dynamodb-local';
import { mulberry32 } from './seed/prng';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.HARBOR_QUIET = '1';

const NOW = new Date();
const AUSTIN = { lat: 30.2672, lon: -97.7431 };

// ---------------------------------------------------------------------------------------------
// A synthetic directory inside the search area (deterministic).

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}
function some<T>(rnd: () => number, xs: readonly T[], p: number): T[] {
  return xs.filter(() => rnd() < p);
}
/** A point within `radius` miles of Austin, uniform over the disc. */
function pointNear(rnd: () => number, radius: number) {
  const r = radius * Math.sqrt(rnd());
  const a = rnd() * 2 * Math.PI;
  return { lat: AUSTIN.lat + (r * Math.sin(a)) / 69, lon: AUSTIN.lon + (r * Math.cos(a)) / (69 * Math.cos((AUSTIN.lat * Math.PI) / 180)) };
}
const iso = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

export function syntheticPlacements(n: number, seed = 1): Placement[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = pointNear(rnd, 290);
    const minAge = 8 + Math.floor(rnd() * 8);
    const total = 1 + Math.floor(rnd() * 12);
    const occupied = Math.floor(rnd() * (total + 1));
    const holds: Record<string, string> = rnd() < 0.1 ? { [`r-${i}`]: iso(-120) } : {};
    const reported = rnd() < 0.1 ? null : iso(Math.floor(rnd() * 60 * 48));
    return {
      id: `plc-${String(i).padStart(6, '0')}`,
      providerId: `prv-${i % 997}`,
      name: `Placement ${i}`,
      type: pick(rnd, PLACEMENT_TYPES),
      location: { city: 'Bench', county: 'Bench', state: rnd() < 0.85 ? 'TX' : 'OK', zip: '78701', lat: at.lat, lon: at.lon, confidential: rnd() < 0.1 },
      population: {
        minAge,
        maxAge: Math.min(21, minAge + 4 + Math.floor(rnd() * 8)),
        genders: rnd() < 0.5 ? [...GENDERS] : some(rnd, GENDERS, 0.5).concat('female'),
        acceptsPregnant: rnd() < 0.3,
        acceptsParenting: rnd() < 0.2,
      },
      specializations: some(rnd, SPECIALIZATIONS, 0.3),
      traumaModels: some(rnd, TRAUMA_MODELS, 0.2),
      mentalHealthLevel: pick(rnd, MENTAL_HEALTH_LEVELS),
      security: pick(rnd, SECURITY_LEVELS),
      runPrevention: rnd() < 0.4,
      languages: rnd() < 0.5 ? ['en', 'es'] : ['en'],
      exclusions: some(rnd, EXCLUSIONS, 0.15),
      acceptsOutOfState: rnd() < 0.5,
      license: { number: `L-${i}`, expires: rnd() < 0.03 ? '2020-01-01' : '2030-12-31' },
      intake: { twentyFourSeven: rnd() < 0.3, emergency: rnd() < 0.3 },
      active: rnd() < 0.97,
      version: 1,
      createdAt: iso(100_000),
      updatedAt: iso(100_000),
      capacity: { total, occupied, holds, version: 1, updatedAt: reported, updatedBy: reported ? 'staff' : null, confirmedAt: null, confirmedBy: null },
    } as Placement;
  });
}

export function syntheticServices(n: number, seed = 2): Service[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = pointNear(rnd, 315);
    const modality = rnd() < 0.7 ? 'in_person' : rnd() < 0.5 ? 'telehealth' : 'both';
    return {
      id: `svc-${String(i).padStart(6, '0')}`,
      providerId: `prv-${i % 997}`,
      name: `Service ${i}`,
      category: pick(rnd, SERVICE_CATEGORIES),
      location: { city: 'Bench', state: 'TX', zip: '78701', lat: at.lat, lon: at.lon, confidential: false },
      serviceArea: { states: rnd() < 0.5 ? ['TX'] : [], counties: [] },
      modality,
      population: { minAge: 10, maxAge: 21, genders: [...GENDERS] },
      languages: rnd() < 0.5 ? ['en', 'es'] : [pick(rnd, LANGUAGES)],
      waitDays: Math.floor(rnd() * 30),
      active: true,
      version: 1,
      createdAt: iso(100_000),
      updatedAt: iso(100_000),
    } as Service;
  });
}

const YOUTH: Record<string, Record<string, unknown>> = {
  'CSEC, high run risk, es, 2 needs': {
    age: 15,
    gender: 'female',
    location: { zip: '78701' },
    needs: ['csec_confirmed', 'substance_use'],
    runRisk: 'high',
    languages: ['es', 'en'],
    keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 25 }],
  },
  'boy, 4 needs incl. education': {
    age: 13,
    gender: 'male',
    location: { zip: '78701' },
    needs: ['csec_at_risk', 'substance_use', 'mental_health', 'education'],
    runRisk: 'medium',
  },
  'no needs named': { age: 16, gender: 'nonbinary', location: { zip: '78701' } },
};

/**
 * A placement as POST /matches has it: decoded from its index item. Before the candidates were
 * packed, the ranking read these several times slower than object literals built in one loop (the
 * bench's synthetic placements), though they hold the same values: see docs/matching.md, "The
 * bench ranked other objects than a match does". Packing them is what costs more now (the
 * "packing" columns).
 */
const asAMatchDecodesIt = (p: Placement) => placementFromMatchItem(indexedItem(HarborTable.indexes.forMatching, placementItem(p))) as Placement;
const asAMatchDecodesServiceIt = (s: Service) => serviceFromMatchItem(indexedItem(HarborTable.indexes.forMatching, serviceItem(s))) as Service;

/** p-quantile of samples (sorted copy). */
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

/** Wall and CPU time of `run`, `n` times after 5 warm-ups. */
function time(n: number, run: () => void): { wall: number[]; cpu: number[] } {
  for (let i = 0; i < 5; i++) run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    run();
    wall.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

export function benchRankingInProcess(): void {
  const n = Number(process.env.BENCH_N ?? 50);
  console.log(`\nIn-process ranking, synthetic directory within 300 miles of Austin, ${n} runs after 5 warm-ups, limit 20, excluded explained (50)`);
  console.log('  match path: planRanking over every candidate, then finishRanking with the services POST /matches reads: the cells');
  console.log('              within the wraparound radius of the contenders with a gap, and telehealth listing heads (DynamoDB\'s work, not timed)');
  console.log('  as decoded: the match path again, over the same placements and services as POST /matches has them: decoded from');
  console.log('              what the matching index returns (placementFromMatchItem, serviceFromMatchItem), not built as object literals');
  console.log('  all services: rankPlacements given every service of the area (the worst case: an index built over all of them)');
  console.log('  packing: packing the decoded placements and services near into the columns the ranking reads, per item (a match');
  console.log('           does it once it has read them, placementsForMatch and servicesForMatch; not in the times before it)');
  const rows: string[][] = [];
  const options = { limit: 20, includeFull: false, explainExcluded: true, excludedLimit: 50 };
  for (const size of [1_000, 10_000, 100_000]) {
    const placements = syntheticPlacements(size);
    const services = syntheticServices(size * 3);
    const decodedPlacements = placements.map(asAMatchDecodesIt);
    const packing = time(Math.max(5, Math.floor(n / 4)), () => PackedPlacements.of(decodedPlacements));
    const packed = PackedPlacements.of(placements);
    const packedDecoded = PackedPlacements.of(decodedPlacements);
    for (const [label, fields] of Object.entries(YOUTH)) {
      const youth: ResolvedYouth = resolveYouth(YouthProfile.parse(fields));
      const input = { youth, placements: packed, policy: DEFAULT_POLICY, now: NOW, options };
      // The services a match reads for this youth (servicesForMatch): per category, the cell spans
      // around the contenders with a gap it fills, and the heads of its telehealth listings.
      const probe = planRanking(input);
      const near = servicesAMatchReads(services, wraparoundReads(probe.contenders, youth), DEFAULT_POLICY.matching.wraparoundRadiusMiles, youth);
      const last = finishRanking(probe, near);
      const nearPacked = PackedServices.of(near);
      const matchPath = time(n, () => finishRanking(planRanking(input), nearPacked));
      const decoded = { ...input, placements: packedDecoded };
      const nearDecoded = near.map(asAMatchDecodesServiceIt);
      const nearDecodedPacked = PackedServices.of(nearDecoded);
      const servicePacking = near.length === 0 ? undefined : time(Math.max(5, Math.floor(n / 4)), () => PackedServices.of(nearDecoded));
      const asDecoded = time(n, () => finishRanking(planRanking(decoded), nearDecodedPacked));
      const allServices = time(Math.max(5, Math.floor(n / 2)), () => rankPlacements({ ...input, services }));
      rows.push([
        String(size),
        String(size * 3),
        label,
        String(last.counts.eligible),
        String(probe.contenders.length),
        String(near.length),
        ms(quantile(matchPath.wall, 0.5)),
        ms(quantile(matchPath.wall, 0.95)),
        ms(quantile(matchPath.cpu, 0.5)),
        ms(quantile(asDecoded.wall, 0.5)),
        ms(quantile(allServices.wall, 0.5)),
        `${((quantile(packing.cpu, 0.5) * 1000) / size).toFixed(2)} µs`,
        servicePacking ? `${((quantile(servicePacking.cpu, 0.5) * 1000) / near.length).toFixed(2)} µs` : '–',
      ]);
    }
  }
  printTable(['placements', 'services', 'youth', 'eligible', 'contenders', 'services near', 'match path p50', 'p95', 'CPU p50', 'as decoded p50', 'all services p50', 'packing a placement', 'a service'], rows);
  console.log(`(load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs: wall time includes waiting for other processes; CPU time is this process only, GC included)`);
  // Built here, not when the module loads: held for the whole run, 100k placements slowed the
  // local server the HTTP figures are taken from in this same process (see docs/matching.md).
  const calibration = syntheticPlacements(100_000, 9);
  const t = time(20, () => {
    let sum = 0;
    for (const p of calibration) sum += distanceMiles(AUSTIN, p.location);
    if (sum < 0) console.log(sum);
  });
  console.log(`calibration: 100k haversine distances take ${ms(quantile(t.cpu, 0.5))} CPU on this machine`);
}

// ---------------------------------------------------------------------------------------------
// Over the local server: scripts/bench/matches-http.ts.

import type { MatchFigures } from './bench/matches-http';
import { benchMatchesOverHttp, printMatchFigures } from './bench/matches-http';
export { benchMatchesOverHttp, printMatchFigures };

async function overHttp(full: boolean): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 40);
  const ddb = await startDynamoDbLocal({ port: 0 });
  const doc = createDocumentClient({ endpoint: ddb.endpoint });
  try {
    console.log(`\nDynamoDB Local at ${ddb.endpoint} (in memory); ${n} matches per figure after 10 warm-ups, one client at a time.`);
    const figures: MatchFigures[] = [];
    for (const scale of full ? [3, 32, 318] : [3, 32]) figures.push(await benchMatchesOverHttp(doc, ddb.endpoint, scale, n));
    printMatchFigures(figures);
  } finally {
    doc.destroy();
    await ddb.stop();
  }
}

if (process.argv[1]?.endsWith('bench-matching.ts')) {
  benchRankingInProcess();
  if (process.argv.includes('--http') || process.argv.includes('--http-full')) await overHttp(process.argv.includes('--http-full'));
}
