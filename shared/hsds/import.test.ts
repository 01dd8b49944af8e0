import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoDirectory, placementCreateBody, providerCreateBody, serviceCreateBody } from '../../scripts/seed/demo-directory';
import { lastReportedAt } from '../domain/capacity';
import { CreatePlacementBody, CreateProviderBody, CreateServiceBody } from '../schemas/directory';
import { exportDirectory, placementToHsds, serviceToHsds } from './export';
import { compiledValidator, failuresOf } from './hsds-schemas.testkit';
import type { HsdsImport } from './import';
import { importHsds, inferCategory } from './import';
import type { HsdsDocument, HsdsService } from './types';

const now = new Date('2026-11-21T12:00:00.000Z');
const demo = buildDemoDirectory({ scale: 1, now });
/** As a file would hold it: JSON, not the objects the exporter built. */
const exported = JSON.parse(JSON.stringify(exportDirectory(demo, { now }))) as HsdsDocument;

const byName = (r: HsdsImport, name: string) => [...r.services, ...r.placements].find((x) => x.body.name === name);
const warningsOf = (r: HsdsImport, name: string) => r.warnings.filter((w) => w.name === name).map((w) => w.message);

describe('round trip: the demo directory exported, then imported', () => {
  const result = importHsds(exported, { now });

  it('brings every record back, under its Harbor id, with nothing rejected or assumed', () => {
    expect(result.rejected).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.seen).toEqual({ organizations: demo.providers.length, services: demo.placements.length + demo.services.length });
    expect(result.providers.map((p) => p.id).sort()).toEqual(demo.providers.map((p) => p.id).sort());
    expect(result.placements.map((p) => p.id).sort()).toEqual(demo.placements.map((p) => p.id).sort());
    expect(result.services.map((s) => s.id).sort()).toEqual(demo.services.map((s) => s.id).sort());
  });

  it('every provider comes back as the create body it was made from', () => {
    for (const p of demo.providers) {
      const back = result.providers.find((x) => x.id === p.id)!;
      expect(back.body, p.id).toEqual(CreateProviderBody.parse(providerCreateBody(p)));
    }
  });

  it('every placement comes back whole, but for what a confidential location or a family home withholds', () => {
    const withheld = { confidential: 0, familyHomes: 0 };
    for (const p of demo.placements) {
      const expected = CreatePlacementBody.parse(placementCreateBody(p));
      if (p.location.confidential || !p.location.address) {
        // City, county, state and ZIP only: no street, no coordinates.
        if (p.location.confidential) withheld.confidential += 1;
        else withheld.familyHomes += 1;
        const { address: _address, lat: _lat, lon: _lon, ...coarse } = expected.location;
        expected.location = coarse;
      }
      expect(result.placements.find((x) => x.id === p.id)!.body, p.id).toEqual(expected);
    }
    expect(withheld.confidential).toBeGreaterThan(0);
    expect(withheld.familyHomes).toBeGreaterThan(0);
  });

  it('every service comes back whole', () => {
    for (const s of demo.services) {
      expect(result.services.find((x) => x.id === s.id)!.body, s.id).toEqual(CreateServiceBody.parse(serviceCreateBody(s)));
    }
  });

  it('a bed count keeps the time it was last reported (its freshness), not the time of import', () => {
    for (const p of demo.placements) {
      const back = result.placements.find((x) => x.id === p.id)!;
      const reported = lastReportedAt(p.capacity);
      if (reported) expect(back.capacityReportedAt, p.id).toBe(reported);
      else expect(back.capacityReportedAt, p.id).toBeUndefined();
    }
  });

  it('beds held for referrals come back as occupied, so the free count stays right', () => {
    const p = demo.placements.find((x) => x.capacity.updatedAt && x.capacity.total - x.capacity.occupied >= 2)!;
    const held = { ...p, capacity: { ...p.capacity, holds: { r1: new Date(now.getTime() + 3_600_000).toISOString() } } };
    const provider = demo.providers.find((x) => x.id === p.providerId)!;
    const back = importHsds({ organizations: exportDirectory({ providers: [provider], placements: [], services: [] }, { now }).organizations, services: [placementToHsds(held, provider, { now })] }, { now });
    expect(back.placements[0]!.body.capacity).toEqual({ total: p.capacity.total, occupied: p.capacity.occupied + 1 });
  });
});

describe('a 211-style HSDS 3.0 page (shared/hsds/fixtures/sample-211.json)', () => {
  const sample = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sample-211.json'), 'utf8')) as { contents: HsdsService[] };
  const result = importHsds(sample, { now });

  it('is itself valid HSDS 3.0', { timeout: 60_000 }, () => {
    const validate = compiledValidator('service');
    expect(failuresOf(validate, sample.contents, (s) => String(s.name))).toEqual([]);
  });

  it('accounts for every record: imported or rejected with a reason', () => {
    expect(result.seen).toEqual({ organizations: 2, services: 6 });
    expect(result.providers).toHaveLength(1);
    expect(result.services).toHaveLength(3);
    expect(result.placements).toHaveLength(0);
    const rejected = result.rejected.map((r) => [r.kind, r.name, r.reasons.join(' | ')]);
    expect(rejected).toEqual([
      ['service', 'Youth Emergency Shelter', expect.stringContaining('no Harbor category')],
      ['service', 'Adult Substance Use Recovery Group', expect.stringContaining('minimum_age 26')],
      ['service', 'Youth Counselling Drop-In', expect.stringMatching(/no usable location.*US-only/)],
      ['organization', 'Northern Lights Youth Services', expect.stringContaining('no state served')],
    ]);
    expect(result.services.length + result.placements.length + result.rejected.filter((r) => r.kind === 'service').length).toBe(6);
  });

  it('the organization: contacts from its contacts, phones and email; states served from its services', () => {
    const [provider] = result.providers;
    expect(provider!.id).toMatch(/^prv-[0-9a-f-]{36}$/);
    expect(provider!.body).toEqual({
      name: 'Bayou City Youth Advocacy Center',
      description: expect.stringContaining('Houston area'),
      website: 'https://www.bayoucity-youth.example.org',
      contacts: [
        { name: 'Maria Lopez', role: 'Program Director', email: 'mlopez@bayoucity-youth.example.org', phone: '713-555-0102' },
        { name: 'After-hours crisis line', phone: '(713) 555-0199' },
        { name: 'Main office', phone: '(713) 555-0100' },
        { name: 'General inquiries', email: 'info@bayoucity-youth.example.org' },
      ],
      accreditations: [],
      statesServed: ['TX'],
      active: true,
    });
    expect(warningsOf(result, 'Bayou City Youth Advocacy Center')).toEqual([
      expect.stringMatching(/phone "713-555-0101 ext\. 4" of contact Maria Lopez dropped: not a phone number/),
      'states served not given: TX taken from its services\' locations and areas',
    ]);
  });

  it('a counseling service: category inferred from its 211 term, and every assumption named', () => {
    const s = byName(result, 'Youth Trafficking Survivor Counseling')!;
    expect(s.body).toMatchObject({
      providerId: result.providers[0]!.id,
      category: 'csec_counseling',
      modality: 'in_person',
      location: { address: '1200 Main St, Suite 400', city: 'Houston', county: 'Harris County', state: 'TX', zip: '77002', lat: 29.7549, lon: -95.3625, confidential: false },
      serviceArea: { states: [], counties: ['Harris County', 'Fort Bend County'] },
      population: { minAge: 12, maxAge: 24, genders: ['female', 'male', 'transgender_female', 'transgender_male', 'nonbinary'] },
      languages: ['en', 'es', 'vi'],
      waitDays: 14,
      active: true,
    });
    expect(warningsOf(result, 'Youth Trafficking Survivor Counseling')).toEqual([
      'language "Klingon" dropped: not one of Harbor\'s languages',
      'category csec_counseling inferred from "Human Trafficking Survivor Counseling" (no Harbor service_category term): check it',
      'modality not given: assumed in_person',
      'service area "Greater Houston" dropped: not a state, a county or a radius in miles',
      'no gender terms: assumed open to youth of all genders',
    ]);
  });

  it('a telehealth legal clinic: statewide area, ages capped at 25', () => {
    const s = byName(result, 'Survivor Legal Clinic (Telehealth)')!;
    expect(s.body).toMatchObject({ category: 'legal_advocacy', modality: 'both', serviceArea: { states: ['TX'], counties: [] }, population: { minAge: 14, maxAge: 25 } });
  });

  it('a confidential location keeps no street; "temporarily closed" is inactive', () => {
    const s = byName(result, 'Safe House Case Management')!;
    expect(s.body).toMatchObject({ location: { city: 'Houston', state: 'TX', zip: '77008', confidential: true }, languages: ['es'], active: false });
    expect(s.body.location.address).toBeUndefined();
    expect(warningsOf(result, 'Safe House Case Management')).toContain('status "temporarily closed" imported as inactive');
  });

  it('warns only about records it imports', () => {
    const rejectedIds = new Set(result.rejected.map((r) => r.hsdsId));
    expect(result.warnings.filter((w) => rejectedIds.has(w.hsdsId))).toEqual([]);
  });
});

describe('rejections carry their reasons', () => {
  const provider = demo.providers.find((p) => demo.placements.some((x) => x.providerId === p.id))!;
  const placement = demo.placements.find((p) => p.providerId === provider.id && p.capacity.updatedAt)!;
  const service = demo.services.find((s) => s.providerId === provider.id)!;
  const org = exportDirectory({ providers: [provider], placements: [], services: [] }, { now }).organizations[0]!;
  const plc = placementToHsds(placement, provider, { now });
  const svc = serviceToHsds(service, provider);
  const without = (s: HsdsService, ...codes: string[]): HsdsService => ({
    ...s,
    attributes: s.attributes!.filter((a) => !codes.some((c) => a.taxonomy_term!.code!.startsWith(c))),
  });

  it('input that is not HSDS', () => {
    for (const input of [42, null, 'services', { foo: [] }]) {
      const r = importHsds(input, { now });
      expect(r.rejected).toEqual([{ kind: 'organization', reasons: [expect.stringContaining('not an HSDS document')] }]);
    }
  });

  it('a service whose organization is missing, or was rejected', () => {
    expect(importHsds({ services: [svc] }, { now }).rejected).toEqual([
      expect.objectContaining({ kind: 'service', name: service.name, reasons: [`its organization ${org.id} is not in the document`] }),
    ]);
    const r = importHsds({ organizations: [{ ...org, name: '' }], services: [svc] }, { now });
    expect(r.rejected.map((x) => x.reasons)).toEqual([['name: missing'], [`its organization ${org.id} was rejected`]]);
  });

  it('a placement without its licence, security or genders', () => {
    const r = importHsds({ organizations: [org], services: [without(plc, 'license_', 'security:', 'gender:')] }, { now });
    expect(r.placements).toEqual([]);
    expect(r.rejected).toEqual([
      expect.objectContaining({
        kind: 'service',
        reasons: [
          'no gender identity accepted: a placement needs at least one gender term',
          'security: a placement needs exactly one security term',
          'license_number and license_expires: required for a placement',
        ],
      }),
    ]);
  });

  it('a service without a location, or with a ZIP in another state', () => {
    const noLocation = { ...svc, service_at_locations: [] };
    const sal = svc.service_at_locations![0]!;
    const wrongZip = {
      ...svc,
      id: '11111111-1111-4111-8111-111111111111',
      service_at_locations: [{ ...sal, location: { ...sal.location!, addresses: [{ ...sal.location!.addresses![0]!, postal_code: '10001' }] } }],
    };
    const r = importHsds({ organizations: [org], services: [noLocation, wrongZip] }, { now });
    expect(r.rejected.map((x) => x.reasons[0])).toEqual([
      expect.stringMatching(/no usable location.*no service_at_locations/),
      expect.stringMatching(/no usable location.*ZIP 10001 is in NY/),
    ]);
  });

  it("a value Harbor's schema refuses is reported with the field's path", () => {
    const area = { id: '22222222-2222-4222-8222-222222222222', name: 'Somewhere', attributes: [{ ...svc.service_areas![0]!.attributes![0]!, taxonomy_term: { ...svc.service_areas![0]!.attributes![0]!.taxonomy_term!, code: 'area_state' }, taxonomy_term_id: undefined, value: 'ZZ' }] };
    const r = importHsds({ organizations: [org], services: [{ ...svc, service_areas: [area] }] }, { now });
    expect(r.rejected).toEqual([expect.objectContaining({ kind: 'service', reasons: [expect.stringMatching(/^serviceArea\.states\.0: /)] })]);
  });

  it('a duplicate record is rejected, not silently merged', () => {
    const r = importHsds({ organizations: [org, org], services: [svc, svc] }, { now });
    expect(r.providers).toHaveLength(1);
    expect(r.services).toHaveLength(1);
    expect(r.rejected.map((x) => x.reasons[0])).toEqual([`duplicate service id ${svc.id}: only its first record is imported`, `duplicate organization id ${org.id}: only its first record is imported`]);
  });

  it('bed counts that do not add up are dropped with a warning; a missing maximum means none occupied', () => {
    const cap = plc.capacities![0]!;
    const bad = importHsds({ organizations: [org], services: [{ ...plc, capacities: [{ ...cap, available: cap.maximum! + 1 }] }] }, { now });
    expect(bad.placements[0]!.body.capacity).toBeUndefined();
    expect(bad.warnings.map((w) => w.message)).toEqual([expect.stringContaining('bed capacity dropped')]);

    const { maximum: _maximum, ...noMax } = cap;
    const open = importHsds({ organizations: [org], services: [{ ...plc, capacities: [noMax] }] }, { now });
    expect(open.placements[0]!.body.capacity).toEqual({ total: cap.available, occupied: 0 });

    const future = importHsds({ organizations: [org], services: [{ ...plc, capacities: [{ ...cap, updated: '2099-01-01T00:00:00.000Z' }] }] }, { now });
    expect(future.placements[0]!.capacityReportedAt).toBe(now.toISOString());
    expect(future.warnings.map((w) => w.message)).toEqual([expect.stringContaining('is in the future')]);
  });

  it('records without a Harbor id get one derived from their HSDS id', () => {
    const r = importHsds({ organizations: [{ ...org, organization_identifiers: [] }], services: [without(svc, 'harbor_id')] }, { now });
    expect(r.providers[0]!.id).toBe(`prv-${org.id}`);
    expect(r.services[0]!.id).toBe(`svc-${svc.id}`);
    expect(r.services[0]!.body.providerId).toBe(`prv-${org.id}`);
  });
});

describe('category of a 211 record', () => {
  it("is read from the document's taxonomy_terms when an attribute names its term by id only", () => {
    const sample = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'sample-211.json'), 'utf8')) as { contents: HsdsService[] };
    const counseling = sample.contents[0]!;
    const term = counseling.attributes![0]!.taxonomy_term!;
    const flat = { ...counseling, name: 'Project Lighthouse', attributes: [{ ...counseling.attributes![0]!, taxonomy_term: undefined }] };
    const withList = importHsds({ services: [flat], taxonomy_terms: [term] }, { now });
    expect(withList.services[0]!.body.category).toBe('csec_counseling');
    // Without the list nothing names a category: rejected, with its reason.
    const without = importHsds({ services: [flat] }, { now });
    expect(without.services).toEqual([]);
    expect(without.rejected[0]!.reasons[0]).toContain('no Harbor category');
  });

  it.each([
    ['Immigration Legal Services', 'legal_advocacy'],
    ['Human Trafficking Survivor Counseling', 'csec_counseling'],
    ['Peer Mentoring for Survivors', 'survivor_mentoring'],
    ['Adolescent Substance Use Treatment', 'substance_use_treatment'],
    ['Family Counseling', 'family_therapy'],
    ['Trauma-Focused Therapy', 'trauma_therapy'],
    ['Outpatient Mental Health Services', 'mental_health'],
    ['Pediatric Primary Care', 'medical'],
    ['GED Preparation', 'education'],
    ['Case Management', 'case_management'],
  ])('%s → %s', (text, category) => {
    expect(inferCategory([text])?.category).toBe(category);
  });

  it('nothing when no word fits', () => {
    expect(inferCategory(['Runaway/Homeless Youth Shelters', 'Food Pantries'])).toBeUndefined();
  });
});
