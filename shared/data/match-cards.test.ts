import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directoryArb, placementArb, youthArb } from '../domain/matching/fixtures/arbitraries';
import { NOW } from '../domain/matching/fixtures/builders';
import { rankPlacements } from '../domain/matching/rank-placements';
import { DEFAULT_POLICY } from '../domain/policy';
import type { Placement, Service } from '../schemas/directory';
import { MATCH_CARD_VERSION, placementFromMatchItem, placementMatchAttributes, serviceFromMatchItem, serviceMatchAttributes } from './match-cards';
import { placementItem } from './placements';
import { serviceItem } from './services';

/** What the matching index (INCLUDE matchCard, capacity) hands a Query: keys, the card and capacity. */
function asIndexed(item: Record<string, unknown>): Record<string, unknown> {
  const { pk, sk, gsi4pk, gsi4sk, matchCard, capacity } = item;
  return { pk, sk, gsi4pk, gsi4sk, matchCard, ...(capacity ? { capacity } : {}) };
}

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
    const card = JSON.parse(placementMatchAttributes({ ...p, description: 'A long description', createdAt: 'x' } as Placement).matchCard) as Record<string, unknown>;
    expect(card.v).toBe(MATCH_CARD_VERSION);
    expect(card).not.toHaveProperty('description');
    expect(card).not.toHaveProperty('createdAt');
    expect(card).not.toHaveProperty('capacity');
    const service = { id: 's-1', category: 'csec_counseling', location: { lat: 30.27, lon: -97.74 } } as unknown as Service;
    expect(serviceMatchAttributes(service)).toMatchObject({ gsi4pk: 'SERVICE#CELL#9v6#csec_counseling', gsi4sk: expect.stringMatching(/^9v6\w{6}#s-1$/) });
  });

  it('refuses an item without a card, or with a card of another version, rather than misreading it', () => {
    expect(() => placementFromMatchItem({ capacity: {} })).toThrow(/backfill/);
    expect(() => placementFromMatchItem({ matchCard: JSON.stringify({ v: MATCH_CARD_VERSION + 1, id: 'p' }), capacity: {} })).toThrow(/version/);
  });
});
