import { auditPut } from '../data/audit';
import type { Page } from '../data/cursor';
import type { ReferralPartition } from '../data/referrals';
import { getReferralYouth, referralPage } from '../data/referrals';
import { transactWrite } from '../data/transact';
import type { Referral } from '../domain/referrals/referral';
import { effectiveStatus, isEscalated } from '../domain/referrals/referral';
import { canSeeReferral, referrerScopeOf } from './access';
import type { ReferralRequestMeta } from './context';
import { loadVisibleReferral, referralAudit } from './context';
import type { ListReferralsQuery } from './schemas';
import type { ReferralDetailView, ReferralView } from './views';
import { referralView, youthViewFor } from './views';

/**
 * `GET /referrals/{id}`: the referral and the youth's details as this caller may read them.
 * Reading the details is itself recorded: the audit record is written before anything is
 * returned, and if it cannot be written nothing is returned.
 */
export async function readReferral(id: string, meta: ReferralRequestMeta): Promise<ReferralDetailView> {
  const { actor, now } = meta;
  const referral = await loadVisibleReferral(id, actor, { consistent: true });
  const youth = await getReferralYouth(id);
  const view = referralView(referral, now);
  if (!youth) return { ...view, youth: null, youthPurged: true };
  const youthView = youthViewFor(actor, youth.details);
  await transactWrite([
    auditPut(referralAudit(meta, 'referral.read_youth', id, { youthDetails: { before: null, after: 'packet' in youthView ? 'full' : 'provider_packet' } })),
  ]);
  return { ...view, youth: youthView, youthPurged: false };
}

/**
 * Which index partitions answer a caller's list (docs/data-model.md), never a scan:
 * - `escalated=true`: the open-requested partition (small: only referrals still waiting);
 * - `placementId`: that placement's partition;
 * - otherwise by role: admins all, provider staff their provider's, caseworkers their agency's,
 *   coordinators each state of their jurisdiction in turn.
 * Whatever the partition, `canSeeReferral` filters every item, so a partition choice can only
 * narrow what a caller sees, never widen it.
 */
function partitionsFor(q: ListReferralsQuery, meta: ReferralRequestMeta): ReferralPartition[] {
  const { actor } = meta;
  if (q.escalated === true) return [{ kind: 'requested' }];
  if (q.placementId) return [{ kind: 'placement', placementId: q.placementId }];
  switch (actor.role) {
    case 'admin':
      return [{ kind: 'all' }];
    case 'provider':
      return [{ kind: 'provider', providerId: actor.providerId! }];
    case 'caseworker':
      return [{ kind: 'referrer', scope: referrerScopeOf(actor) }];
    case 'coordinator':
      return [...actor.jurisdiction].sort().map((state) => ({ kind: 'state' as const, state }));
  }
}

/** `GET /referrals`: filter by `status` (as read now), `placementId`, `escalated`; paginated. */
export async function listReferrals(q: ListReferralsQuery, meta: ReferralRequestMeta): Promise<Page<ReferralView>> {
  const { actor, now } = meta;
  const keep = (r: Referral, entry: { viaYouthState: boolean }) => {
    if (!canSeeReferral(actor, r)) return false;
    // A coordinator of both states meets the referral in each state's partition: keep the first.
    if (entry.viaYouthState && actor.jurisdiction.includes(r.placementState)) return false;
    if (q.status && effectiveStatus(r, now) !== q.status) return false;
    if (q.placementId && r.placementId !== q.placementId) return false;
    if (q.escalated !== undefined && isEscalated(r, now) !== q.escalated) return false;
    return true;
  };
  const page = await referralPage({ partitions: partitionsFor(q, meta), limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), keep });
  return { items: page.items.map((r) => referralView(r, now)), nextCursor: page.nextCursor };
}
