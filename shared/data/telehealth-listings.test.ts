import { describe, expect, it } from 'vitest';
import type { Service } from '../schemas/directory';
import { STATES } from '../schemas/vocabulary';
import { telehealthListingItems, telehealthListingWrites } from './telehealth-listings';

const service = (over: Partial<Service> = {}): Service =>
  ({
    id: 'svc-1',
    providerId: 'prv-1',
    name: 'Desert Star Survivor Counselling',
    category: 'csec_counseling',
    location: { city: 'El Paso', county: 'El Paso', state: 'TX', zip: '79901', lat: 31.76, lon: -106.49, confidential: false },
    serviceArea: { states: ['TX', 'NM'], counties: [] },
    modality: 'telehealth',
    population: { minAge: 12, maxAge: 21, genders: ['female'] },
    languages: ['en'],
    active: true,
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }) as Service;

const keys = (items: Record<string, unknown>[]) => items.map((i) => [i.sk, i.gsi4pk, i.gsi4sk]);

describe('telehealth listings', () => {
  it('one per state served by video, in the category’s partition of that state, ordered by wait then id', () => {
    expect(keys(telehealthListingItems(service()))).toStrictEqual([
      ['TELEHEALTH#TX', 'SERVICE#TELEHEALTH#TX#csec_counseling', '0#svc-1'],
      ['TELEHEALTH#NM', 'SERVICE#TELEHEALTH#NM#csec_counseling', '0#svc-1'],
    ]);
    expect(keys(telehealthListingItems(service({ serviceArea: { states: [], counties: [] }, waitDays: 30 })))).toStrictEqual([
      ['TELEHEALTH#TX', 'SERVICE#TELEHEALTH#TX#csec_counseling', '1#svc-1'],
    ]);
    expect(telehealthListingItems(service())[0]).toMatchObject({ pk: 'SERVICE#svc-1', entity: 'telehealth_listing', serviceVersion: 3, matchCard: expect.any(String) });
  });

  it('none for a service seen only in person, or inactive', () => {
    expect(telehealthListingItems(service({ modality: 'in_person' }))).toStrictEqual([]);
    expect(telehealthListingItems(service({ active: false }))).toStrictEqual([]);
    expect(telehealthListingItems(service({ modality: 'both' }))).toHaveLength(2);
  });

  it('an update puts the listings it should have and deletes those of states it no longer serves by video', () => {
    const writes = telehealthListingWrites(service(), service({ serviceArea: { states: ['TX', 'OK'], counties: [] } }));
    expect(writes.map((w) => (w.Put ? ['put', w.Put.Item!.sk] : ['delete', w.Delete!.Key!.sk]))).toStrictEqual([
      ['put', 'TELEHEALTH#TX'],
      ['put', 'TELEHEALTH#OK'],
      ['delete', 'TELEHEALTH#NM'],
    ]);
    // Every state code changes hands at most once: the writes fit one transaction with the
    // service's own write and its audit (DynamoDB allows 100).
    const allStates = [...STATES];
    const half = allStates.slice(0, 28);
    const widest = telehealthListingWrites(service({ serviceArea: { states: half, counties: [] } }), service({ serviceArea: { states: allStates.slice(28), counties: [] } }));
    expect(widest).toHaveLength(STATES.length);
    expect(STATES.length + 2).toBeLessThanOrEqual(100);

    const stopped = telehealthListingWrites(service(), service({ active: false }));
    expect(stopped.map((w) => w.Delete?.Key?.sk)).toStrictEqual(['TELEHEALTH#TX', 'TELEHEALTH#NM']);
    const resumed = telehealthListingWrites(service({ active: false }), service());
    expect(resumed.map((w) => w.Put?.Item?.sk)).toStrictEqual(['TELEHEALTH#TX', 'TELEHEALTH#NM']);
  });

  it('an update of what no listing carries writes none; one of the card or the wait rewrites every listing', () => {
    const before = service();
    expect(telehealthListingWrites(before, service({ version: 4, description: 'Now also on Saturdays.' }))).toStrictEqual([]);
    expect(telehealthListingWrites(before, service({ version: 4, name: 'Desert Star Counselling' })).map((w) => w.Put?.Item?.sk)).toStrictEqual(['TELEHEALTH#TX', 'TELEHEALTH#NM']);
    // No open slot: the listing's place in its partition changes (waits sort after no wait).
    expect(telehealthListingWrites(before, service({ version: 4, openSlots: 0 })).map((w) => w.Put?.Item?.gsi4sk)).toStrictEqual(['1#svc-1', '1#svc-1']);
  });
});
