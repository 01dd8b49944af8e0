import { assertCanManage, assertCanReadCapacityHistory } from '../auth/access';
import type { CapacityView } from '../domain/capacity';
import { assertCapacityInvariants, capacityView } from '../domain/capacity';
import { changedFields, newAuditEntry } from '../data/audit';
import { clearConfirmationRequest } from '../data/confirmation-requests';
import type { Page } from '../data/cursor';
import type { CapacityHistoryEntry } from '../data/placements';
import { listCapacityHistory, writeCapacityConfirmation, writeCapacityCounts } from '../data/placements';
import { TransactionConditionFailed } from '../data/transact';
import { ServiceUnavailable, VersionMismatch } from '../errors';
import type { Placement } from '../schemas/directory';
import type { RequestMeta } from './load';
import { loadPlacement } from './load';

/** Holds added or released between our read and our write are re-checked this many times. */
const MAX_ATTEMPTS = 4;

/**
 * Sets the reported counts. `If-Match` must name the current capacity version (428 without it,
 * 412 when stale). The invariant is checked against the holds in force and enforced again by
 * DynamoDB at write time, so a hold taken meanwhile cannot be over-committed: the write is then
 * re-evaluated and either succeeds or is a 422 naming the broken invariant.
 */
export async function updateCapacity(
  placementId: string,
  counts: { total: number; occupied: number },
  ifMatch: number,
  meta: RequestMeta,
): Promise<CapacityView> {
  const { actor, requestId, now } = meta;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const placement = await loadPlacement(placementId, { consistent: true });
    assertCanManage(actor, placement.providerId);
    const current = placement.capacity;
    if (ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
    const at = now.toISOString();
    const lapsedHoldIds = Object.keys(current.holds).filter((id) => current.holds[id]! <= at);
    assertCapacityInvariants({ ...counts, onHold: Object.keys(current.holds).length - lapsedHoldIds.length });
    const before = { total: current.total, occupied: current.occupied };
    const history: CapacityHistoryEntry = {
      placementId,
      action: 'update',
      at,
      by: actor.sub,
      role: actor.role,
      version: current.version + 1,
      before,
      after: counts,
      requestId,
    };
    const audit = newAuditEntry({
      actor,
      action: 'capacity.update',
      targetType: 'placement',
      targetId: placementId,
      changes: { ...changedFields(before, counts), version: { before: current.version, after: current.version + 1 } },
      requestId,
      at,
    });
    try {
      await writeCapacityCounts({
        placementId,
        expectedVersion: current.version,
        counts,
        lapsedHoldIds,
        at,
        by: actor.sub,
        history,
        audit,
        // A new count answers any open "please confirm" request from matching, too.
        extras: [clearConfirmationRequest(placementId)],
      });
      const holds = Object.fromEntries(Object.entries(current.holds).filter(([id]) => !lapsedHoldIds.includes(id)));
      const next: Placement['capacity'] = { ...current, ...counts, holds, version: current.version + 1, updatedAt: at, updatedBy: actor.sub };
      return capacityView(next, now);
    } catch (error) {
      // The version or the holds moved under us: read again and decide (412, 422 or retry).
      if (!(error instanceof TransactionConditionFailed)) throw error;
    }
  }
  throw new ServiceUnavailable('Capacity is changing too fast to update safely; nothing was written. Try again.', 1);
}

/**
 * "Still accurate": restarts freshness without changing counts or version. `If-Match` is
 * optional; when given it must be current, so nobody confirms a count they have not seen.
 */
export async function confirmCapacity(placementId: string, ifMatch: number | undefined, meta: RequestMeta): Promise<CapacityView> {
  const { actor, requestId, now } = meta;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const placement = await loadPlacement(placementId, { consistent: true });
    assertCanManage(actor, placement.providerId);
    const current = placement.capacity;
    if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
    const at = now.toISOString();
    const counts = { total: current.total, occupied: current.occupied };
    const history: CapacityHistoryEntry = {
      placementId,
      action: 'confirm',
      at,
      by: actor.sub,
      role: actor.role,
      version: current.version,
      before: counts,
      after: counts,
      requestId,
    };
    const audit = newAuditEntry({
      actor,
      action: 'capacity.confirm',
      targetType: 'placement',
      targetId: placementId,
      changes: { confirmedAt: { before: current.confirmedAt, after: at } },
      requestId,
      at,
    });
    try {
      await writeCapacityConfirmation({
        placementId,
        expectedVersion: current.version,
        at,
        by: actor.sub,
        history,
        audit,
        // A confirmed count answers any open "please confirm" request from matching.
        extras: [clearConfirmationRequest(placementId)],
      });
      return capacityView({ ...current, confirmedAt: at, confirmedBy: actor.sub }, now);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
    }
  }
  throw new ServiceUnavailable('Capacity is changing too fast to confirm safely; nothing was written. Try again.', 1);
}

export async function capacityHistory(placementId: string, page: { limit: number; cursor?: string }, meta: RequestMeta): Promise<Page<CapacityHistoryEntry>> {
  const placement = await loadPlacement(placementId);
  assertCanReadCapacityHistory(meta.actor, placement);
  return listCapacityHistory(placementId, page.limit, page.cursor);
}
