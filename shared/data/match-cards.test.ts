import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directoryArb, placementArb, serviceArb, youthArb } from '../domain/matching/fixtures/arbitraries';
import { NOW } from '../domain/matching/fixtures/builders';
import { rankPlacements } from '../domain/matching/rank-placements';
import { DEFAULT_POLICY } from '../domain/policy';
import { License, Location } from '../schemas/common';
import type { Placement, Service } from '../schemas/directory';
import { Intake, Population, ServiceArea } from '../schemas/directory';
import { MATCH_CARD_VERSION, PLACEMENT_CARD_FIELDS, placementFromMatchItem, placementMatchAttributes, SERVICE_CARD_FIELDS, serviceFromMatchItem, serviceMatchAttributes, UnreadableMatchItem } from './match-cards';
import { placementItem } from './placements';
import { serviceItem } from './services';
import { HarborTable, indexedItem } from './table';

/** What the matching index hands a Query: the keys and the attributes it projects (the card, the counts' copies, the holds). */
const asIndexed = (item: Record<string, unknown>) => indexedItem(HarborTable.indexes.forMatching, item);

/** A placement item's capacity as the index carries it: what it projects besides the card and keys. */
const indexedCapacity = (p: Placement) => {
  const { pk: _pk, sk: _sk, gsi4pk: _ipk, gsi4sk: _isk, matchCard: _card, ...capacity } = asIndexed(placementItem(p));
  return capacity;
};

describe('match cards', () => {
  it('the ranking gives the same answer from the index as from whole items: it reads nothing a card leaves out', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, ({ placements, services }, youth) => {
        const options = { limit: 100, includeFull: true, explainExcluded: true, excludedLimit: 100 };
        const whole = rankPlacements({ youth, placements, services, policy: DEFAULT_POLICY, now: NOW, options });
        const fromIndex = rankPlacements({
          youth,
          placements: placements.map((p) => placementFromMatchItem(asIndexed(placementItem(p))) as Placement),
          services: services.map((s) => serviceFromMatchItem(asIndexed(serviceItem(s))) as Service),
          policy: DEFAULT_POLICY,
          now: NOW,
          options,
        });
        expect(fromIndex).toStrictEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('one profile gives one card, whatever the order of its keys (the backfill compares them)', () => {
    fc.assert(
      fc.property(placementArb('p-1'), (p) => {
        const shuffled = { ...p, location: Object.fromEntries(Object.entries(p.location).reverse()), population: Object.fromEntries(Object.entries(p.population).reverse()) } as Placement;
        expect(placementMatchAttributes(shuffled).matchCard).toBe(placementMatchAttributes(p).matchCard);
      }),
    );
  });

  it('leaves out what matching never reads, and keys services by category and cell', () => {
    const [p] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const item = placementItem({ ...p, description: 'A long description', contacts: [{ name: 'Intake desk' }] } as Placement);
    const card = placementFromMatchItem(asIndexed(item)) as Record<string, unknown>;
    expect(Object.keys(card).sort()).toStrictEqual([...PLACEMENT_CARD_FIELDS, 'capacity'].filter((f) => f in p).sort());
    expect(item.matchCard).not.toContain('A long description');
    expect(item.matchCard).not.toContain('Intake desk');
    const service = { id: 's-1', category: 'csec_counseling', location: { lat: 30.27, lon: -97.74 } } as unknown as Service;
    expect(serviceMatchAttributes(service)).toMatchObject({ gsi4pk: 'SERVICE#CELL#9v6#csec_counseling', gsi4sk: expect.stringMatching(/^9v6\w{6}#s-1$/) });
  });

  it('carries every field of the nested objects it holds, so a field added to the schema is not silently dropped', () => {
    const [p] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const full = {
      ...p,
      location: Object.fromEntries(Object.keys(Location.shape).map((k) => [k, `location.${k}`])),
      population: Object.fromEntries(Object.keys(Population.shape).map((k) => [k, `population.${k}`])),
      license: Object.fromEntries(Object.keys(License.shape).map((k) => [k, `license.${k}`])),
      intake: Object.fromEntries(Object.keys(Intake.shape).map((k) => [k, `intake.${k}`])),
    } as unknown as Placement;
    const back = placementFromMatchItem(asIndexed({ ...placementMatchAttributes({ ...p, ...full }), ...indexedCapacity(p) })) as unknown as Record<string, unknown>;
    for (const nested of ['location', 'population', 'license', 'intake']) expect(back[nested]).toStrictEqual(full[nested as keyof Placement]);
    const [s] = fc.sample(serviceArb('s-1'), 1) as [Service];
    const service = {
      ...s,
      location: Object.fromEntries(Object.keys(Location.shape).map((k) => [k, `location.${k}`])),
      serviceArea: Object.fromEntries(Object.keys(ServiceArea.shape).map((k) => [k, `serviceArea.${k}`])),
    } as unknown as Service;
    const serviceBack = serviceFromMatchItem({ matchCard: serviceMatchAttributes({ ...service, location: { ...service.location, lat: 30, lon: -97 } }).matchCard }) as unknown as Record<string, unknown>;
    expect(serviceBack.serviceArea).toStrictEqual(service.serviceArea);
    expect(Object.keys(serviceBack.location as object).sort()).toStrictEqual(Object.keys(Location.shape).sort());
  });

  it('decodes a card into exactly the fields the placement or service has, nested ones too, and no other', () => {
    const cardFields = <T extends object>(x: T, fields: readonly (keyof T)[]) => Object.fromEntries(fields.filter((f) => x[f] !== undefined).map((f) => [f, x[f]]));
    fc.assert(
      fc.property(placementArb('p-1'), serviceArb('s-1'), (p, s) => {
        const { total, occupied, holds, updatedAt, confirmedAt } = p.capacity;
        expect(placementFromMatchItem(asIndexed(placementItem(p)))).toStrictEqual({ ...cardFields(p, PLACEMENT_CARD_FIELDS), capacity: { total, occupied, holds, updatedAt, confirmedAt } });
        expect(serviceFromMatchItem(asIndexed(serviceItem(s)))).toStrictEqual(cardFields(s, SERVICE_CARD_FIELDS));
      }),
    );
  });

  it('refuses a card missing a value the schema requires (written by hand, or by a bug), so a match reads that item from the table', () => {
    const [p] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const { mentalHealthLevel: _level, ...withoutLevel } = p;
    expect(() => placementFromMatchItem({ ...placementMatchAttributes(withoutLevel as Placement), ...indexedCapacity(p) })).toThrow(UnreadableMatchItem);
    const { city: _city, ...cityless } = p.location;
    expect(() => placementFromMatchItem({ ...placementMatchAttributes({ ...p, location: cityless } as Placement), ...indexedCapacity(p) })).toThrow(/lacks a value its profile requires/);
    const [s] = fc.sample(serviceArb('s-1'), 1) as [Service];
    expect(() => serviceFromMatchItem(serviceMatchAttributes({ ...s, population: { ...s.population, genders: undefined } } as unknown as Service))).toThrow(UnreadableMatchItem);
  });

  it('refuses an item without a card or a count, or with a card of an unknown version, rather than misreading it', () => {
    const count = { matchCount: '[4,1,null]', holds: {} };
    expect(() => placementFromMatchItem(count)).toThrow(/backfill/);
    expect(() => placementFromMatchItem({ matchCard: JSON.stringify([MATCH_CARD_VERSION + 1, 'p']), ...count })).toThrow(/version 3 is not/);
    expect(() => placementFromMatchItem({ matchCard: JSON.stringify({ v: 7, id: 'p' }), ...count })).toThrow(/version 7 is not/);
    // An item whose capacity is still in the old layout (the whole map, holds inside): no count.
    const [p] = fc.sample(placementArb('p-1'), 1) as [Placement];
    expect(() => placementFromMatchItem({ ...placementMatchAttributes(p), capacity: p.capacity })).toThrow(/without a matchCount: run scripts\/backfill/);
  });

  it('hands the ranking exactly the counts, holds, update and confirmation the placement has, whatever they are', () => {
    fc.assert(
      fc.property(placementArb('p-1'), (p) => {
        const { total, occupied, holds, updatedAt, confirmedAt } = p.capacity;
        expect(placementFromMatchItem(asIndexed(placementItem(p))).capacity).toStrictEqual({ total, occupied, holds, updatedAt, confirmedAt });
      }),
    );
  });

  it('still reads a version-1 card (a keyed object) as the same placement, so matches work before the backfill has run', () => {
    fc.assert(
      fc.property(placementArb('p-1'), (p) => {
        const keyed = JSON.stringify({ v: 1, ...Object.fromEntries(PLACEMENT_CARD_FIELDS.filter((f) => p[f] !== undefined).map((f) => [f, p[f]])) });
        const fromV1 = placementFromMatchItem({ matchCard: keyed, ...indexedCapacity(p) });
        expect(fromV1).toStrictEqual(placementFromMatchItem(asIndexed(placementItem(p))));
      }),
    );
  });
});
