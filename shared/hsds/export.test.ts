import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDirectory } from '../../scripts/seed/demo-directory';
import { capacityView, lastReportedAt } from '../domain/capacity';
import type { Placement, Provider, Service } from '../schemas/directory';
import { CONFIDENTIAL_ADDRESS_LINE, exportDirectory, placementToHsds, serviceHsdsId, serviceToHsds } from './export';
import { compiledValidator, failuresOf, serviceCapacityValidator, taxonomyTermValidator } from './hsds-schemas.testkit';
import { hsdsId, isUuid, uuidV5 } from './ids';
import { HARBOR_TAXONOMY } from './taxonomy';
import type { HsdsDocument, HsdsService } from './types';

const now = new Date('2026-11-21T12:00:00.000Z');
const demo = buildDemoDirectory({ scale: 1, now });
const doc = exportDirectory(demo, { now });
const json = JSON.stringify(doc);

const codesOf = (s: HsdsService) => (s.attributes ?? []).map((a) => (a.value === undefined ? a.taxonomy_term!.code! : `${a.taxonomy_term!.code}=${a.value}`));
const serviceOf = (kind: 'placement' | 'service', id: string) => doc.services.find((s) => s.id === serviceHsdsId(kind, id))!;

/** Every `id` of every object nested anywhere in `value`, with the property path it sits at. */
function idsIn(value: unknown, path = '$', out: { path: string; id: unknown }[] = []): { path: string; id: unknown }[] {
  if (Array.isArray(value)) value.forEach((v, i) => idsIn(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' || k.endsWith('_id')) out.push({ path: `${path}.${k}`, id: v });
      else idsIn(v, `${path}.${k}`, out);
    }
  }
  return out;
}

describe('HSDS ids', () => {
  it('are RFC 4122 version-5 UUIDs (the RFC test vector)', () => {
    // uuid v5 of "www.example.com" in the DNS namespace, as every v5 implementation gives it.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(hsdsId('organization', 'prv-0001')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('every id and reference in the export is a UUID', () => {
    const bad = idsIn(doc).filter((x) => !isUuid(x.id));
    expect(bad).toEqual([]);
  });

  it('are stable: a later export, in another order, with changed counts, keeps every id', () => {
    const later = new Date(now.getTime() + 86_400_000);
    const shuffled = {
      providers: [...demo.providers].reverse(),
      placements: [...demo.placements].reverse().map((p) => ({ ...p, name: `${p.name} (renamed)`, capacity: { ...p.capacity, occupied: 0 } })),
      services: [...demo.services].reverse(),
    };
    const again = exportDirectory(shuffled, { now: later });
    expect(idsIn(again).map((x) => x.id)).toEqual(idsIn(doc).map((x) => x.id));
  });

  it('are distinct: no two organizations, services, locations, addresses or attributes share one', () => {
    const all = idsIn(doc).filter((x) => x.path.endsWith('.id') && !x.path.includes('taxonomy_term') && !x.path.includes('.unit.'));
    const seen = new Map<unknown, string>();
    const clashes = all.filter((x) => {
      const before = seen.get(x.id);
      seen.set(x.id, x.path);
      return before !== undefined;
    });
    expect(clashes).toEqual([]);
  });
});

describe('the demo directory (scale 1) validates against the HSDS 3.0 schemas', () => {
  let service: ValidateFunction;
  let organization: ValidateFunction;
  let serviceAtLocation: ValidateFunction;

  beforeAll(() => {
    service = compiledValidator('service');
    organization = compiledValidator('organization');
    serviceAtLocation = compiledValidator('service_at_location');
  }, 120_000);

  it('the validators do reject what HSDS does not allow', () => {
    const [s] = doc.services;
    expect(service({ ...s, status: 'open' })).toBe(false);
    expect(service({ ...s, id: 'plc-00001' })).toBe(false);
    expect(organization({ ...doc.organizations[0], description: undefined })).toBe(false);
    expect(serviceAtLocation({ ...s!.service_at_locations![0], location: { id: s!.id } })).toBe(false);
  });

  it('exports every provider, placement and service', () => {
    expect(doc.organizations).toHaveLength(demo.providers.length);
    expect(doc.services).toHaveLength(demo.placements.length + demo.services.length);
  });

  it('every organization', () => {
    const failures = failuresOf(organization, doc.organizations, (o) => String(o.name));
    expect(failures).toEqual([]);
  });

  it('every service', { timeout: 60_000 }, () => {
    const failures = failuresOf(service, doc.services, (s) => String(s.name));
    expect(failures).toEqual([]);
  });

  it('every service_at_location', { timeout: 60_000 }, () => {
    const sals = doc.services.flatMap((s) => s.service_at_locations ?? []);
    expect(sals).toHaveLength(doc.services.length);
    const failures = failuresOf(serviceAtLocation, sals, (sal) => String(sal.id));
    expect(failures).toEqual([]);
  });

  it('every bed capacity against the 3.1 draft service_capacity', () => {
    const validate = serviceCapacityValidator();
    const capacities = doc.services.flatMap((s) => s.capacities ?? []);
    expect(capacities.length).toBeGreaterThan(200);
    const failures = failuresOf(validate, capacities, (c) => String(c.id));
    expect(failures).toEqual([]);
  });

  it('every taxonomy term of the Harbor taxonomy', () => {
    const validate = taxonomyTermValidator();
    const failures = failuresOf(validate, doc.taxonomy_terms, (t) => String(t.code));
    expect(failures).toEqual([]);
    expect(validate({ ...doc.taxonomy_terms[0]!, taxonomy_detail: HARBOR_TAXONOMY })).toBe(true);
  });
});

describe('confidential locations', () => {
  const confidential = [...demo.placements, ...demo.services].filter((x) => x.location.confidential);

  it('the demo has safe houses with street addresses and coordinates to hide', () => {
    expect(confidential.length).toBeGreaterThanOrEqual(5);
    for (const x of confidential) expect(x.location.address).toBeTruthy();
  });

  it('no byte of the export contains a confidential street address or its coordinates', () => {
    // `includes` rather than toContain: a failure must not print the 8 MB document.
    const leaks = confidential.flatMap((x) => {
      const { address, lat, lon } = x.location;
      return [address!, address!.split(',')[0]!, String(lat), String(lon)].filter((needle) => json.includes(needle)).map((n) => `${x.id}: ${n}`);
    });
    expect(leaks).toEqual([]);
    // Nor is any exported point one of theirs (whatever its formatting).
    const points = doc.services.flatMap((s) => s.service_at_locations!.map((sal) => sal.location!)).filter((l) => l.latitude !== undefined);
    const hidden = confidential.map((x) => x.location);
    const onTop = points.filter((pt) => hidden.some((h) => Math.abs(h.lat - pt.latitude!) < 1e-6 && Math.abs(h.lon - pt.longitude!) < 1e-6));
    expect(onTop).toEqual([]);
  });

  it('a safe house is exported at city / county / state / ZIP level, marked confidential', () => {
    const p = demo.placements.find((x) => x.location.confidential)!;
    const location = serviceOf('placement', p.id).service_at_locations![0]!.location!;
    expect(location.latitude).toBeUndefined();
    expect(location.longitude).toBeUndefined();
    expect(location.addresses).toEqual([
      expect.objectContaining({ address_1: CONFIDENTIAL_ADDRESS_LINE, city: p.location.city, region: p.location.county, state_province: p.location.state, postal_code: p.location.zip }),
    ]);
    expect(location.attributes!.map((a) => a.taxonomy_term!.code)).toEqual(['location:confidential']);
  });

  it('a family home (no street address in Harbor) is exported without coordinates', () => {
    const p = demo.placements.find((x) => !x.location.confidential && !x.location.address)!;
    const location = serviceOf('placement', p.id).service_at_locations![0]!.location!;
    expect(location.latitude).toBeUndefined();
    expect(location.longitude).toBeUndefined();
    expect(location.addresses![0]).toMatchObject({ address_1: 'Street address not published', city: p.location.city, postal_code: p.location.zip });
    expect(location.attributes).toBeUndefined();
  });

  it('an open location keeps its street address and coordinates', () => {
    const s = demo.services.find((x) => !x.location.confidential && x.location.address)!;
    const location = serviceOf('service', s.id).service_at_locations![0]!.location!;
    expect(location).toMatchObject({ latitude: s.location.lat, longitude: s.location.lon });
    expect(location.addresses![0]!.address_1).toBe(s.location.address);
  });

  it('strikes the address and coordinates from free text, the provider’s included', () => {
    const safe = demo.placements.find((x) => x.location.confidential)!;
    const { address, lat, lon } = safe.location;
    const provider: Provider = {
      ...demo.providers.find((p) => p.id === safe.providerId)!,
      description: `Our safe house at ${address} (${lat.toFixed(5)}, ${lon.toFixed(5)}) opened in 2019.`,
    };
    const placement: Placement = { ...safe, name: `Safe house, ${address}`, description: `Find us at ${address}, ${lat}, ${lon}.` };
    const sibling: Service = { ...demo.services.find((s) => s.providerId === safe.providerId)!, description: `Meets near ${address}.` };
    const out = JSON.stringify(exportDirectory({ providers: [provider], placements: [placement], services: [sibling] }, { now }));
    expect([address!, String(lat), String(lon), lat.toFixed(5), lon.toFixed(5)].filter((n) => out.includes(n))).toEqual([]);
    expect(out.split('[address withheld]').length - 1).toBeGreaterThanOrEqual(6);
  });

  it('a confidential service location is withheld the same way', () => {
    const s: Service = { ...demo.services[0]!, location: { ...demo.services[0]!.location, confidential: true } };
    const out = serviceToHsds(s, undefined);
    const location = out.service_at_locations![0]!.location!;
    expect(JSON.stringify(out).includes(s.location.address!)).toBe(false);
    expect(location.latitude).toBeUndefined();
    expect(location.addresses![0]!.address_1).toBe(CONFIDENTIAL_ADDRESS_LINE);
  });
});

describe('what a placement carries', () => {
  it('its vocabularies as Harbor taxonomy attributes', () => {
    const p = demo.placements.find((x) => x.specializations.includes('csec') && x.traumaModels.length > 0 && x.exclusions.length > 0)!;
    const codes = codesOf(serviceOf('placement', p.id));
    expect(codes).toEqual(
      expect.arrayContaining([
        `harbor_id=${p.id}`,
        `placement_type:${p.type}`,
        ...p.specializations.map((s) => `specialization:${s}`),
        ...p.traumaModels.map((m) => `trauma_model:${m}`),
        `security:${p.security}`,
        `mental_health_level:${p.mentalHealthLevel}`,
        ...p.population.genders.map((g) => `gender:${g}`),
        ...p.exclusions.map((e) => `exclusion:${e}`),
        `license_number=${p.license.number}`,
        `license_expires=${p.license.expires}`,
      ]),
    );
    for (const a of serviceOf('placement', p.id).attributes!) {
      expect(a.taxonomy_term!.taxonomy_id).toBe(HARBOR_TAXONOMY.id);
      expect(a.taxonomy_term_id).toBe(a.taxonomy_term!.id);
    }
  });

  it('its ages, languages and the provider’s phone numbers', () => {
    const p = demo.placements[0]!;
    const s = serviceOf('placement', p.id);
    expect(s).toMatchObject({ minimum_age: p.population.minAge, maximum_age: p.population.maxAge });
    expect(s.languages!.map((l) => l.code)).toEqual(p.languages);
    const provider = demo.providers.find((x) => x.id === p.providerId)!;
    expect(s.phones!.map((x) => x.number)).toEqual(provider.contacts.flatMap((c) => (c.phone ? [c.phone] : [])));
  });

  it('an inactive placement is exported with status inactive', () => {
    const inactive = demo.placements.filter((p) => !p.active);
    expect(inactive.length).toBeGreaterThan(0);
    for (const p of inactive) expect(serviceOf('placement', p.id).status).toBe('inactive');
    expect(serviceOf('placement', demo.placements.find((p) => p.active)!.id).status).toBe('active');
  });

  it('its beds as a 3.1 draft service_capacity: available now, maximum, unit bed, last reported', () => {
    const reported = demo.placements.find((p) => p.capacity.updatedAt && p.capacity.total > p.capacity.occupied + 1)!;
    const held: Placement = {
      ...reported,
      capacity: { ...reported.capacity, holds: { r1: new Date(now.getTime() + 3_600_000).toISOString(), r2: new Date(now.getTime() - 1).toISOString() } },
    };
    const [capacity] = placementToHsds(held, undefined, { now }).capacities!;
    expect(capacity).toMatchObject({
      unit: { name: 'Bed', identifier: 'bed' },
      maximum: held.capacity.total,
      // The hold in force counts; the lapsed one does not.
      available: held.capacity.total - held.capacity.occupied - 1,
      updated: lastReportedAt(held.capacity),
    });
    expect(capacity!.available).toBe(capacityView(held.capacity, now).available);
  });

  it('no capacity when the count was never reported, or when capacity is turned off', () => {
    const never = demo.placements.find((p) => lastReportedAt(p.capacity) === null)!;
    expect(serviceOf('placement', never.id).capacities).toBeUndefined();
    const quiet: HsdsDocument = exportDirectory(demo, { now, includeCapacity: false });
    expect(quiet.services.some((s) => s.capacities)).toBe(false);
    expect(quiet.extensions).toEqual([]);
  });
});

describe('what a service carries', () => {
  it('category, modality, wait, open slots and service areas', () => {
    const s = demo.services.find((x) => x.serviceArea.states.length > 0 && x.serviceArea.radiusMiles !== undefined && x.waitDays !== undefined && x.openSlots !== undefined)!;
    const out = serviceOf('service', s.id);
    expect(codesOf(out)).toEqual(
      expect.arrayContaining([`service_category:${s.category}`, `modality:${s.modality}`, `wait_days=${s.waitDays}`, `open_slots=${s.openSlots}`]),
    );
    expect(out.wait_time).toBe(`${s.waitDays} day${s.waitDays === 1 ? '' : 's'}`);
    const areas = out.service_areas!.map((a) => `${a.attributes![0]!.taxonomy_term!.code}=${a.attributes![0]!.value}`);
    expect(areas).toEqual([...s.serviceArea.states.map((st) => `area_state=${st}`), `area_radius_miles=${s.serviceArea.radiusMiles}`]);
  });

  it('a county service area', () => {
    const s = demo.services.find((x) => x.serviceArea.counties.length > 0)!;
    const area = serviceOf('service', s.id).service_areas!.find((a) => a.attributes![0]!.taxonomy_term!.code === 'area_county')!;
    expect(area.attributes![0]!.value).toBe(s.serviceArea.counties[0]);
    expect(area.name).toContain(s.serviceArea.counties[0]!);
  });
});
