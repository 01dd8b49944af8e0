import type { Actor } from '../auth/actor';
import { newAuditEntry } from '../data/audit';
import type { ConfirmationRequest } from '../data/confirmation-requests';
import { listConfirmationRequests, openConfirmationRequests, openRequests } from '../data/confirmation-requests';
import type { Page } from '../data/cursor';
import { mapLimited } from '../data/expressions';
import { getPlacement } from '../data/placements';
import { capacityView, lastReportedAt } from '../domain/capacity';
import type { CountToConfirm } from '../domain/matching/rank-placements';
import { Forbidden, ValidationFailed } from '../errors';
import { log } from '../http/logger';
import type { Freshness } from '../schemas/vocabulary';

/**
 * Stale counts get chased (issue 3, §7): when a match relied on a stale or never-reported count,
 * the owning provider gets a confirmation request — one per placement while it is open — and
 * confirming (or updating) the count clears it.
 */

/**
 * Opens a request for each count that has none open. Returns how many were opened. Never throws:
 * the match has already been stored, and a youth's match must not fail because a reminder could
 * not be sent; a failure is logged and the next match tries again.
 */
export async function chaseStaleCounts(counts: readonly CountToConfirm[], meta: { actor: Actor; requestId: string; now: Date }): Promise<number> {
  if (counts.length === 0) return 0;
  try {
    const open = await openRequests(counts.map((c) => c.placementId));
    const at = meta.now.toISOString();
    const toOpen = new Map<string, { c: CountToConfirm; replaces?: { countReportedAt: string | null } }>();
    for (const c of counts) {
      if (!open.has(c.placementId)) toOpen.set(c.placementId, { c });
      // A request about an older count was answered (the count changed since) but never cleared:
      // the count is stale again, so ask again in its place.
      else if (open.get(c.placementId) !== c.countReportedAt) toOpen.set(c.placementId, { c, replaces: { countReportedAt: open.get(c.placementId)! } });
    }
    const requests = [...toOpen.values()].map(({ c, replaces }) => {
      const request: ConfirmationRequest = {
        placementId: c.placementId,
        providerId: c.providerId,
        placementName: c.name,
        state: c.state,
        freshness: c.freshness,
        countReportedAt: c.countReportedAt,
        requestedAt: at,
        reason: 'match_relied_on_stale_count',
      };
      const audit = newAuditEntry({
        actor: meta.actor,
        action: 'capacity_request.open',
        targetType: 'placement',
        targetId: c.placementId,
        changes: { confirmationRequest: { before: null, after: { freshness: c.freshness, countReportedAt: c.countReportedAt } } },
        requestId: meta.requestId,
        at,
      });
      return { request, audit, ...(replaces ? { replaces } : {}) };
    });
    return (await openConfirmationRequests(requests)).length;
  } catch (error) {
    log('warn', 'could not open capacity confirmation requests', { requestId: meta.requestId, error: String(error) });
    return 0;
  }
}

/** An open request as its provider reads it: with the count's freshness now. */
export interface CapacityRequestView extends ConfirmationRequest {
  /** The placement's count now (unchanged since the request, or the request would not be listed). */
  currentFreshness: Freshness;
}

/**
 * `GET /capacity-requests`: provider staff see their provider's; an admin names a provider.
 * A request whose count has been confirmed or updated since it was made is answered: it is not
 * listed even if its item has not been deleted yet (updating a count does not delete it, and a
 * confirmation deletes it only once the confirm function includes the Delete). A page may
 * therefore hold fewer than `limit` items.
 */
export async function listCapacityRequests(
  actor: Actor,
  query: { providerId?: string; limit: number; cursor?: string },
  now: Date,
): Promise<Page<CapacityRequestView>> {
  let providerId: string;
  if (actor.role === 'provider') {
    if (query.providerId !== undefined && query.providerId !== actor.providerId) {
      throw new Forbidden('Provider staff may list only their own provider’s confirmation requests.');
    }
    providerId = actor.providerId!;
  } else {
    if (!query.providerId) throw new ValidationFailed('Name the provider whose requests to list.', [{ path: 'providerId', message: 'required for admins' }]);
    providerId = query.providerId;
  }
  const page = await listConfirmationRequests(providerId, query.limit, query.cursor);
  const placements = await mapLimited(page.items, 16, (r) => getPlacement(r.placementId));
  const items: CapacityRequestView[] = [];
  page.items.forEach((request, i) => {
    const placement = placements[i];
    if (!placement || placement.providerId !== providerId) return;
    if (lastReportedAt(placement.capacity) !== request.countReportedAt) return;
    items.push({ ...request, currentFreshness: capacityView(placement.capacity, now).freshness });
  });
  return { items, nextCursor: page.nextCursor };
}
