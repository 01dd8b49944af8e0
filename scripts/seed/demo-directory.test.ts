import { beforeAll, describe, expect, it } from 'vitest';
import { freshnessOf, lastReportedAt } from '../../shared/domain/capacity';
import { distanceMiles } from '../../shared/domain/geo';
import { lookupZip } from '../../shared/domain/zip-codes';
import { Id } from '../../shared/schemas/common';
import type { Placement, Service } from '../../shared/schemas/directory';
import { CreatePlacementBody, CreateProviderBody, CreateServiceBody } from '../../shared/schemas/directory';
import {
  EXCLUSIONS,
  GENDERS,
  LANGUAGES,
  MENTAL_HEALTH_LEVELS,
  MODALITIES,
  PLACEMENT_TYPES,
  SECURITY_LEVELS,
  SERVICE_CATEGORIES,
  SPECIALIZATIONS,
  TRAUMA_MODELS,
} from '../../shared/schemas/vocabulary';
import type { DemoDirectory } from './demo-directory';
import { buildDemoDirectory, placementCreateBody, providerCreateBody, serviceCreateBody } from './demo-directory';
import { DEMO_USERS } from './demo-users';
import { CITY_ROWS, MAX_JITTER_MILES, nearestZipState } from './places';

const NOW = new Date('2026-11-21T15:00:00.000Z');
let one: DemoDirectory;
let ten: DemoDirectory;

beforeAll(() => {
  one = buildDemoDirectory({ now: NOW });
  ten = buildDemoDirectory({ scale: 10, now: NOW });
});

const located = () => [...one.placements, ...one.services];
const share = <T>(xs: T[], pred: (x: T) => boolean) => xs.filter(pred).length / xs.length;
const freshness = (p: Placement) => freshnessOf(lastReportedAt(p.capacity), NOW);
const reported = (p: Placement) => p.capacity.updatedAt !== null || p.capacity.confirmedAt !== null;

describe('buildDemoDirectory — size, ids, determinism', () => {
  it('has ~60 providers, ≥300 placements and ≥600 services at scale 1', () => {
    expect(one.providers).toHaveLength(60);
    expect(one.placements.length).toBeGreaterThanOrEqual(300);
    expect(one.services.length).toBeGreaterThanOrEqual(600);
  });

  it('has ten times as much at scale 10, starting with exactly the scale-1 directory', () => {
    expect(ten.providers).toHaveLength(600);
    expect(ten.placements.length).toBeGreaterThanOrEqual(3000);
    expect(ten.services.length).toBeGreaterThanOrEqual(6000);
    expect(ten.providers.slice(0, 60)).toStrictEqual(one.providers);
    expect(ten.placements.slice(0, one.placements.length)).toStrictEqual(one.placements);
    expect(ten.services.slice(0, one.services.length)).toStrictEqual(one.services);
  });

  it('spreads larger scales over more cities', () => {
    const cities = (d: DemoDirectory) => new Set(d.placements.map((p) => `${p.location.city}|${p.location.state}`)).size;
    expect(cities(ten)).toBeGreaterThan(cities(one) * 2);
  });

  it('is deterministic: same inputs, same output; another seed, another directory', () => {
    expect(buildDemoDirectory({ now: NOW })).toStrictEqual(one);
    const other = buildDemoDirectory({ now: NOW, seed: 7 });
    expect(other.placements.map((p) => p.name)).not.toStrictEqual(one.placements.map((p) => p.name));
  });

  it('rejects a scale that is not a whole number ≥ 1', () => {
    expect(() => buildDemoDirectory({ scale: 0 })).toThrow(RangeError);
    expect(() => buildDemoDirectory({ scale: 1.5 })).toThrow(RangeError);
  });

  it('gives readable, unique, valid ids, and every program a real provider', () => {
    for (const d of [one, ten]) {
      const ids = [...d.providers, ...d.placements, ...d.services].map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(Id.safeParse(id).success).toBe(true);
    }
    expect(one.providers.every((p) => /^prv-\d{4}$/.test(p.id))).toBe(true);
    expect(one.placements.every((p) => /^plc-\d{5}$/.test(p.id))).toBe(true);
    expect(one.services.every((s) => /^svc-\d{5}$/.test(s.id))).toBe(true);
    const providerIds = new Set(ten.providers.map((p) => p.id));
    expect([...ten.placements, ...ten.services].every((x) => providerIds.has(x.providerId))).toBe(true);
  });

  it('has no undefined properties (what is stored is what is built)', () => {
    expect(JSON.parse(JSON.stringify(one))).toStrictEqual(one);
  });
});

describe('buildDemoDirectory — every object is a valid create body', () => {
  it('providers', () => {
    for (const p of one.providers) expect(() => CreateProviderBody.parse(providerCreateBody(p)), p.id).not.toThrow();
  });
  it('placements (capacity as a report, absent when never reported)', () => {
    for (const p of one.placements) {
      const parsed = CreatePlacementBody.parse(placementCreateBody(p));
      expect(parsed.capacity === undefined, p.id).toBe(!reported(p));
    }
  });
  it('services', () => {
    for (const s of one.services) expect(() => CreateServiceBody.parse(serviceCreateBody(s)), s.id).not.toThrow();
  });
  it('server fields: version 1, ISO timestamps in order, never after now', () => {
    const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    for (const x of [...one.providers, ...one.placements, ...one.services]) {
      expect(x.version).toBe(1);
      expect(x.createdAt).toMatch(isoTime);
      expect(x.updatedAt).toMatch(isoTime);
      expect(x.createdAt <= x.updatedAt).toBe(true);
      expect(Date.parse(x.updatedAt)).toBeLessThanOrEqual(NOW.getTime());
    }
  });
});

describe('buildDemoDirectory — places', () => {
  it('puts everything at a real ZIP with its real city and state', () => {
    for (const x of located()) {
      const zip = lookupZip(x.location.zip);
      expect(zip, x.location.zip).toBeDefined();
      expect([x.location.city, x.location.state]).toStrictEqual([zip!.city, zip!.state]);
    }
  });

  it('jitters coordinates by under 3 miles and keeps them in the state', () => {
    const points = new Set<string>();
    for (const x of located()) {
      const zip = lookupZip(x.location.zip)!;
      expect(distanceMiles(x.location, zip)).toBeLessThan(MAX_JITTER_MILES);
      expect(nearestZipState(x.location), `${x.id} at ${x.location.lat},${x.location.lon}`).toBe(x.location.state);
      points.add(`${x.location.lat},${x.location.lon}`);
    }
    expect(points.size).toBe(located().length);
  });

  it('uses at least 4 states, most programs in Texas and Oklahoma', () => {
    const states = new Set(one.placements.map((p) => p.location.state));
    expect(states.size).toBeGreaterThanOrEqual(4);
    for (const s of ['TX', 'OK', 'LA', 'NM']) expect(states).toContain(s);
    expect(share(one.placements, (p) => p.location.state === 'TX' || p.location.state === 'OK')).toBeGreaterThan(0.6);
  });

  it('names the right county (parish) for the big cities', () => {
    const expected: Record<string, string> = {
      'Austin|TX': 'Travis',
      'Houston|TX': 'Harris',
      'Dallas|TX': 'Dallas',
      'San Antonio|TX': 'Bexar',
      'El Paso|TX': 'El Paso',
      'Oklahoma City|OK': 'Oklahoma',
      'Tulsa|OK': 'Tulsa',
      'New Orleans|LA': 'Orleans',
      'Baton Rouge|LA': 'East Baton Rouge',
      'Albuquerque|NM': 'Bernalillo',
      'Las Cruces|NM': 'Doña Ana',
    };
    const seen = new Set<string>();
    for (const x of located()) {
      const key = `${x.location.city}|${x.location.state}`;
      if (expected[key]) {
        expect(x.location.county, key).toBe(expected[key]);
        seen.add(key);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });

  it('takes every county from the city table', () => {
    const countyOf = new Map(CITY_ROWS.flatMap((r) => r.zips.map((z) => [z, r.county] as const)));
    for (const x of [...ten.placements, ...ten.services]) {
      if (x.location.county !== undefined) expect(x.location.county).toBe(countyOf.get(x.location.zip));
      else expect(countyOf.has(x.location.zip)).toBe(false);
    }
  });

  it('lists the states of its programs in each provider’s statesServed', () => {
    const byId = new Map(one.providers.map((p) => [p.id, p]));
    for (const x of located()) expect(byId.get(x.providerId)!.statesServed).toContain(x.location.state);
    for (const s of one.services) for (const st of s.serviceArea.states) expect(byId.get(s.providerId)!.statesServed).toContain(st);
  });
});

describe('buildDemoDirectory — placements cover the vocabulary', () => {
  const covers = <T>(values: readonly T[], seen: T[]) => expect([...new Set(seen)].sort()).toStrictEqual([...values].sort());

  it('every type, specialisation, security level, language, exclusion, trauma model, mental-health level and gender', () => {
    const ps = one.placements;
    covers(PLACEMENT_TYPES, ps.map((p) => p.type));
    covers(SPECIALIZATIONS, ps.flatMap((p) => p.specializations));
    covers(SECURITY_LEVELS, ps.map((p) => p.security));
    covers(LANGUAGES, ps.flatMap((p) => p.languages));
    covers(EXCLUSIONS, ps.flatMap((p) => p.exclusions));
    covers(TRAUMA_MODELS, ps.flatMap((p) => p.traumaModels));
    covers(MENTAL_HEALTH_LEVELS, ps.map((p) => p.mentalHealthLevel));
    covers(GENDERS, ps.flatMap((p) => p.population.genders));
  });

  it('each block of a larger scale covers them too', () => {
    const lastBlock = new Set(ten.providers.slice(-60).map((p) => p.id));
    const ps = ten.placements.filter((p) => lastBlock.has(p.providerId));
    expect(ps.length).toBeGreaterThanOrEqual(300);
    covers(PLACEMENT_TYPES, ps.map((p) => p.type));
    covers(SPECIALIZATIONS, ps.flatMap((p) => p.specializations));
    covers(SECURITY_LEVELS, ps.map((p) => p.security));
    covers(LANGUAGES, ps.flatMap((p) => p.languages));
    covers(TRAUMA_MODELS, ps.flatMap((p) => p.traumaModels));
    expect(ps.filter((p) => p.location.confidential).length).toBeGreaterThanOrEqual(5);
  });
});

describe('buildDemoDirectory — realistic correlations', () => {
  const ps = () => one.placements;

  it('CSEC-specialised programs are a minority, mostly residential, therapeutic foster care or group homes, with survivor mentors or CSEC models', () => {
    const csec = ps().filter((p) => p.specializations.includes('csec'));
    expect(csec.length).toBeGreaterThanOrEqual(10);
    expect(csec.length / ps().length).toBeLessThan(0.2);
    expect(share(csec, (p) => ['residential_treatment', 'therapeutic_foster_care', 'group_home'].includes(p.type))).toBeGreaterThan(0.6);
    expect(share(csec, (p) => p.specializations.includes('survivor_mentor'))).toBeGreaterThan(0.5);
    expect(share(csec, (p) => p.traumaModels.includes('my_life_my_choice') || p.traumaModels.includes('tbri'))).toBeGreaterThan(0.6);
    expect(csec.every((p) => p.specializations.includes('trauma_informed'))).toBe(true);
  });

  it('secure settings are rare and residential', () => {
    const secure = ps().filter((p) => p.security === 'secure');
    expect(secure.length).toBeGreaterThanOrEqual(1);
    expect(secure.length / ps().length).toBeLessThan(0.05);
    expect(secure.every((p) => p.type === 'residential_treatment')).toBe(true);
  });

  it('sizes beds by type', () => {
    const range: Partial<Record<Placement['type'], [number, number]>> = {
      foster_home: [1, 4],
      therapeutic_foster_care: [1, 3],
      host_home: [1, 2],
      emergency_shelter: [8, 30],
      group_home: [6, 12],
      residential_treatment: [10, 48],
      transitional_living: [6, 20],
    };
    for (const p of ps().filter((x) => x.capacity.total > 0)) {
      const [lo, hi] = range[p.type]!;
      expect(p.capacity.total, `${p.id} ${p.type}`).toBeGreaterThanOrEqual(lo);
      expect(p.capacity.total, `${p.id} ${p.type}`).toBeLessThanOrEqual(hi);
    }
  });

  it('speaks Spanish often in Texas and New Mexico', () => {
    for (const state of ['TX', 'NM']) {
      expect(share(ps().filter((p) => p.location.state === state), (p) => p.languages.includes('es'))).toBeGreaterThan(0.4);
    }
    expect(ps().every((p) => p.languages.includes('en'))).toBe(true);
  });

  it('has programs for pregnant and parenting youth, and only where they can be pregnant', () => {
    expect(ps().filter((p) => p.population.acceptsPregnant && p.population.acceptsParenting).length).toBeGreaterThanOrEqual(3);
    for (const p of ps().filter((x) => x.population.acceptsPregnant)) {
      expect(p.population.genders.some((g) => g === 'female' || g === 'transgender_male'), p.id).toBe(true);
    }
  });

  it('has LGBTQ+-affirming host homes for ages 16–21', () => {
    const hosts = ps().filter(
      (p) => p.type === 'host_home' && p.specializations.includes('lgbtq_affirming') && p.population.minAge >= 16 && p.population.maxAge <= 21,
    );
    expect(hosts.length).toBeGreaterThanOrEqual(2);
    expect(hosts.some((p) => p.population.genders.length === GENDERS.length)).toBe(true);
  });

  it('has at least 5 confidential safe houses, each with an address', () => {
    const safe = ps().filter((p) => p.location.confidential);
    expect(safe.length).toBeGreaterThanOrEqual(5);
    expect(safe.every((p) => typeof p.location.address === 'string' && p.location.address.length > 0)).toBe(true);
    expect(safe.every((p) => p.specializations.includes('csec'))).toBe(true);
    expect(one.services.every((s) => !s.location.confidential)).toBe(true);
  });

  it('has a few inactive programs and a few expired licences', () => {
    expect(ps().filter((p) => !p.active).length).toBeGreaterThanOrEqual(3);
    const expired = (d: string) => Date.parse(d) < NOW.getTime();
    const expiredPlacements = ps().filter((p) => expired(p.license.expires)).length;
    expect(expiredPlacements).toBeGreaterThanOrEqual(3);
    expect(expiredPlacements / ps().length).toBeLessThan(0.1);
    const licensed = one.providers.filter((p) => p.license);
    const expiredProviders = licensed.filter((p) => expired(p.license!.expires)).length;
    expect(expiredProviders).toBeGreaterThanOrEqual(2);
    expect(expiredProviders / licensed.length).toBeLessThan(0.15);
  });

  it('gives providers fictional contacts and known accreditations', () => {
    for (const p of one.providers) {
      expect(p.contacts.length).toBeGreaterThan(0);
      for (const c of p.contacts) {
        if (c.phone) expect(c.phone).toMatch(/^\(\d{3}\) 555-01\d{2}$/);
        if (c.email) expect(c.email).toMatch(/@[a-z0-9-]+\.example\.org$/);
      }
      for (const a of p.accreditations) expect(['COA', 'CARF', 'Joint Commission']).toContain(a);
    }
    expect(new Set(one.providers.flatMap((p) => p.accreditations)).size).toBe(3);
  });
});

describe('buildDemoDirectory — capacity and freshness', () => {
  it('keeps the bed-registry invariants, with no holds', () => {
    for (const p of one.placements) {
      expect(p.capacity.holds).toStrictEqual({});
      expect(p.capacity.occupied).toBeGreaterThanOrEqual(0);
      expect(p.capacity.occupied).toBeLessThanOrEqual(p.capacity.total);
      expect(p.capacity.version).toBeGreaterThanOrEqual(1);
    }
  });

  it('has full placements, placements with open beds and zero-bed placements', () => {
    const r = one.placements.filter(reported);
    expect(r.filter((p) => p.capacity.total > 0 && p.capacity.occupied === p.capacity.total).length).toBeGreaterThanOrEqual(10);
    expect(r.filter((p) => p.capacity.total > p.capacity.occupied).length).toBeGreaterThanOrEqual(50);
    expect(r.filter((p) => p.capacity.total === 0).length).toBeGreaterThanOrEqual(3);
  });

  it('spreads freshness ~40 % fresh, 25 % aging, 25 % stale, 10 % unknown', () => {
    const ps = one.placements;
    const near = (band: string, target: number) => expect(share(ps, (p) => freshness(p) === band), band).toBeCloseTo(target, 1);
    near('fresh', 0.4);
    near('aging', 0.25);
    near('stale', 0.25);
    near('unknown', 0.1);
    // Some stale counts are days old.
    expect(ps.some((p) => freshness(p) === 'stale' && NOW.getTime() - Date.parse(lastReportedAt(p.capacity)!) > 2 * 86_400_000)).toBe(true);
  });

  it('"unknown" means never reported: no timestamps, no counts', () => {
    for (const p of one.placements.filter((x) => freshness(x) === 'unknown')) {
      expect(p.capacity).toStrictEqual({
        total: 0,
        occupied: 0,
        holds: {},
        version: 1,
        updatedAt: null,
        updatedBy: null,
        confirmedAt: null,
        confirmedBy: null,
      });
    }
    for (const p of one.placements.filter(reported)) {
      expect(p.capacity.updatedAt).not.toBeNull();
      expect(p.capacity.updatedBy).not.toBeNull();
      expect(p.capacity.updatedAt! >= p.createdAt).toBe(true);
      if (p.capacity.confirmedAt) expect(p.capacity.confirmedBy).not.toBeNull();
    }
  });
});

describe('buildDemoDirectory — services', () => {
  const ss = () => one.services;
  const covers = <T>(values: readonly T[], seen: T[]) => expect([...new Set(seen)].sort()).toStrictEqual([...values].sort());

  it('every category, modality and language', () => {
    covers(SERVICE_CATEGORIES, ss().map((s) => s.category));
    covers(MODALITIES, ss().map((s) => s.modality));
    covers(LANGUAGES, ss().flatMap((s) => s.languages));
  });

  it('says where each service reaches: a radius, states or counties', () => {
    for (const s of ss()) {
      const a = s.serviceArea;
      expect(a.radiusMiles !== undefined || a.states.length > 0 || a.counties.length > 0, s.id).toBe(true);
      if (s.modality === 'telehealth') expect(a.states.length, s.id).toBeGreaterThan(0);
      if (s.modality === 'in_person') expect(a.states, s.id).toStrictEqual([]);
    }
    expect(ss().some((s) => s.modality === 'telehealth' && s.serviceArea.radiusMiles === undefined && s.serviceArea.states.length > 0)).toBe(true);
    expect(ss().some((s) => s.serviceArea.counties.length > 0)).toBe(true);
  });

  it('has wait times and open slots, including full services', () => {
    expect(share(ss(), (s) => s.waitDays !== undefined)).toBeGreaterThan(0.8);
    expect(share(ss(), (s) => s.openSlots !== undefined)).toBeGreaterThan(0.8);
    expect(ss().some((s) => s.openSlots === 0)).toBe(true);
  });

  it('sits near the placements, so wraparound matching finds something', () => {
    const active = ss().filter((s) => s.active && s.modality !== 'telehealth');
    const withNearby = one.placements.filter((p) => active.some((s: Service) => distanceMiles(p.location, s.location) <= 50));
    expect(withNearby.length / one.placements.length).toBeGreaterThan(0.9);
  });
});

describe('DEMO_USERS', () => {
  it('has every role, with the scope each needs', () => {
    const users = Object.entries(DEMO_USERS);
    expect(new Set(users.map(([, u]) => u.role))).toStrictEqual(new Set(['admin', 'coordinator', 'caseworker', 'provider']));
    for (const [name, u] of users) {
      expect(name).toMatch(/^[a-z]+$/);
      expect(u.description.length).toBeGreaterThan(10);
      if (u.role === 'coordinator') expect(u.jurisdiction).toMatch(/^[A-Z]{2}(,[A-Z]{2})*$/);
      if (u.role === 'caseworker') expect(u.agencyId).toMatch(/^agency-/);
      if (u.role === 'provider') expect(u.providerId).toBeDefined();
    }
    expect(new Set(users.map(([, u]) => u.sub)).size).toBe(users.length);
    expect(users.filter(([, u]) => u.role === 'coordinator').map(([, u]) => u.jurisdiction)).toEqual(expect.arrayContaining(['TX', 'OK', 'TX,OK,LA']));
    expect(users.filter(([, u]) => u.role === 'caseworker').map(([, u]) => u.agencyId)).toEqual(
      expect.arrayContaining(['agency-travis-cps', 'agency-tulsa-dhs']),
    );
  });

  it('points provider staff at real demo providers, at any seed, one owning a safe house and one a CSEC program', () => {
    const staff = Object.values(DEMO_USERS).filter((u) => u.role === 'provider');
    expect(staff.length).toBeGreaterThanOrEqual(3);
    for (const d of [one, buildDemoDirectory({ now: NOW, seed: 99 })]) {
      const ids = new Set(d.providers.map((p) => p.id));
      for (const u of staff) expect(ids, u.providerId).toContain(u.providerId);
      const owns = (pred: (p: Placement) => boolean) => staff.some((u) => d.placements.some((p) => p.providerId === u.providerId && pred(p)));
      expect(owns((p) => p.location.confidential)).toBe(true);
      expect(owns((p) => p.specializations.includes('csec') && !p.location.confidential)).toBe(true);
    }
  });
});
