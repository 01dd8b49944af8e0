import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementArb } from '../domain/matching/fixtures/arbitraries';
import type { Placement } from '../schemas/directory';
import { capacityLayoutRepair, placementFromItem, placementItem } from './placements';

describe('placement items', () => {
  it('store the holds apart from the capacity map, with the copies the matching index reads, and read back as the same placement', () => {
    fc.assert(
      fc.property(placementArb('p-1'), (p) => {
        const item = placementItem(p);
        expect(item.holds).toStrictEqual(p.capacity.holds);
        expect(item.capacity).not.toHaveProperty('holds');
        expect(JSON.parse(item.matchCount as string)).toStrictEqual([p.capacity.total, p.capacity.occupied, p.capacity.updatedAt]);
        expect(item.matchConfirmedAt).toBe(p.capacity.confirmedAt ?? undefined);
        expect(placementFromItem(item)).toStrictEqual(p);
        expect(capacityLayoutRepair(item)).toBeUndefined();
      }),
    );
  });

  it('of the older layout (holds inside the map) read with their holds, and need the repair', () => {
    const [p] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const withHold = { ...p, capacity: { ...p.capacity, holds: { 'ref-1': '2030-01-01T00:00:00.000Z' } } };
    const { holds: _holds, matchCount: _count, matchConfirmedAt: _confirmed, ...rest } = placementItem(withHold);
    const older = { ...rest, capacity: withHold.capacity };
    expect(placementFromItem(older)).toStrictEqual(withHold);
    expect(capacityLayoutRepair(older)?.UpdateExpression).toMatch(/#holds = #cap\.#holds/);
  });

  it.each([
    ['the holds inside the map', (item: Record<string, unknown>) => ({ ...item, holds: undefined, capacity: { ...(item.capacity as object), holds: item.holds } })],
    ['no holds attribute', (item: Record<string, unknown>) => ({ ...item, holds: undefined })],
    ['an out-of-date count copy', (item: Record<string, unknown>) => ({ ...item, matchCount: '[-1,-1,null]' })],
    ['no report-time index keys', ({ gsi5pk: _pk, gsi5sk: _sk, ...item }: Record<string, unknown>) => item],
    ['inactive, still in the report-time index', (item: Record<string, unknown>) => ({ ...item, active: false, gsi5pk: 'PLACEMENT#STATE#TX' })],
  ])('needing the repair (%s) get an update that names only what it uses, as DynamoDB requires', (_, older) => {
    fc.assert(
      fc.property(placementArb('p-1'), (p) => {
        const repair = capacityLayoutRepair(older(placementItem(p)))!;
        const used = `${repair.UpdateExpression} ${repair.ConditionExpression}`;
        for (const name of Object.keys(repair.ExpressionAttributeNames)) expect(used).toMatch(new RegExp(`${name}\\b`));
        for (const value of Object.keys(repair.ExpressionAttributeValues)) expect(used).toMatch(new RegExp(`${value}\\b`));
      }),
    );
  });

  it('without report-time index keys get them from the repair: the state, and the later of the last update and confirmation', () => {
    const [sampled] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const p = { ...sampled, active: true };
    const { gsi5pk, gsi5sk, ...older } = placementItem(p);
    expect(gsi5pk).toBe(`PLACEMENT#STATE#${p.location.state}`);
    const repair = capacityLayoutRepair(older)!;
    expect(repair.ExpressionAttributeValues).toMatchObject({ ':reportPk': gsi5pk, ':reportSk': gsi5sk, ':state': p.location.state, ':active': true });
  });

  it('inactive are not in the report-time index, and the repair takes out one that is', () => {
    const [sampled] = fc.sample(placementArb('p-1'), 1) as [Placement];
    const item = placementItem({ ...sampled, active: false });
    expect(item).not.toHaveProperty('gsi5pk');
    expect(capacityLayoutRepair(item)).toBeUndefined();
    expect(capacityLayoutRepair({ ...item, gsi5pk: `PLACEMENT#STATE#${sampled.location.state}` })?.UpdateExpression).toMatch(/REMOVE .*#reportPk/);
  });
});
