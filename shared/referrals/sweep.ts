import { mapLimited } from '../data/expressions';
import { dueReferrals, flagEscalated } from '../data/referrals';
import { TransactionConditionFailed } from '../data/transact';
import type { Referral } from '../domain/referrals/referral';
import { effectiveStatus } from '../domain/referrals/referral';
import { TransitionRefused } from '../domain/referrals/state-machine';
import { publishAfterCommit } from '../events/publisher';
import { referralEvent } from '../events/referral-events';
import { log } from '../http/logger';
import { TransitionNotDue, expireReferral } from './close';
import type { ReferralRequestMeta } from './context';
import { SYSTEM_ACTOR, referralAudit } from './context';
import { withdrawOpenSiblings } from './siblings';

/** What one run of the expiry job did. */
export interface SweepReport {
  /** Requested referrals nobody answered in time. */
  expiredRequests: number;
  /** Accepted referrals whose hold lapsed: the bed is back. */
  lapsedHolds: number;
  /** Flagged for the coordinator. */
  escalated: number;
  /** Placed referrals whose sibling sweep had not finished (a crash after placing). */
  siblingSweeps: number;
  /** Items that failed and stay on the list for the next run. */
  failed: number;
}

/** Items per due partition per run: the job runs every five minutes and picks up the rest then. */
const MAX_PER_RUN = 500;
/** Parallel transactions: enough to drain a backlog, few enough not to throttle on-demand tables. */
const PARALLEL = 8;

/**
 * The scheduled sweep (every 5 minutes: EventBridge in AWS, a timer in the local server). It
 * reads only the due partitions of the index (`REFERRAL#DUE#<status>`, sorted by the next due
 * time), never scans:
 * - requested referrals past `respondBy` expire (`no_response`); those past `escalateAt` are
 *   flagged for the coordinator;
 * - accepted referrals past `holdExpiresAt` expire (`hold_lapsed`) and their hold is removed, so
 *   the bed is back in the stored count too (reads already stopped counting it);
 * - placed referrals still listed get their sibling sweep finished.
 * Every step is a conditional transaction, so a run racing a person (or another run) is harmless.
 */
export async function sweepReferrals(now: Date = new Date(), requestId = `sweep-${crypto.randomUUID()}`): Promise<SweepReport> {
  const meta: ReferralRequestMeta = { actor: SYSTEM_ACTOR, requestId, now };
  const report: SweepReport = { expiredRequests: 0, lapsedHolds: 0, escalated: 0, siblingSweeps: 0, failed: 0 };

  const attempt = async (referral: Referral, work: () => Promise<keyof SweepReport | undefined>) => {
    try {
      const counted = await work();
      if (counted) report[counted] += 1;
    } catch (error) {
      // Someone answered or withdrew it first, or it was already handled: nothing to do.
      if (error instanceof TransitionRefused || error instanceof TransitionNotDue || error instanceof TransactionConditionFailed) return;
      report.failed += 1;
      log('error', 'referral sweep step failed', { referralId: referral.id, requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  };

  const requested = await dueReferrals('requested', now, MAX_PER_RUN);
  await mapLimited(requested, PARALLEL, (r) =>
    attempt(r, async () => {
      if (effectiveStatus(r, now) === 'expired') {
        await expireReferral(r.id, meta);
        return 'expiredRequests';
      }
      if (!r.escalated && r.escalateAt <= now.toISOString()) {
        await escalate(r, meta);
        return 'escalated';
      }
      return undefined;
    }),
  );

  const accepted = await dueReferrals('accepted', now, MAX_PER_RUN);
  await mapLimited(accepted, PARALLEL, (r) =>
    attempt(r, async () => {
      await expireReferral(r.id, meta);
      return 'lapsedHolds';
    }),
  );

  const placed = await dueReferrals('placed', now, MAX_PER_RUN);
  await mapLimited(placed, PARALLEL, (r) =>
    attempt(r, async () => {
      const { finished } = await withdrawOpenSiblings(r, meta, { final: true });
      if (!finished) throw new Error('sibling sweep did not finish');
      return 'siblingSweeps';
    }),
  );

  return report;
}

async function escalate(referral: Referral, meta: ReferralRequestMeta): Promise<void> {
  const at = meta.now.toISOString();
  await flagEscalated({
    referral,
    at,
    audit: referralAudit(meta, 'referral.escalate', referral.id, { escalated: { before: false, after: true } }),
  });
  await publishAfterCommit([referralEvent('referral.escalated', { ...referral, escalated: true, escalatedAt: at }, at)]);
}
