/**
 * The scheduled work the CDK stack runs on EventBridge schedules, registered on the local
 * server's timer instead. Call `registerLocalJobs()` once before `createLocalServer` (scripts/
 * start.ts); tests that want the job call `registerLocalJobs()` and then `server.runTimer(name)`.
 */
import { log } from '../shared/http/logger';
import { sweepReferrals } from '../shared/referrals/sweep';
import { registerTimer } from './local-server';

/** Same name as the Lambda (functions/expire-referrals) and the same rate as its schedule. */
export const REFERRAL_SWEEP_JOB = 'expire-referrals';
export const REFERRAL_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Registers the referral sweep (lapse holds, expire unanswered referrals, flag escalations,
 * finish sibling withdrawals). The local server has already pointed this process's document
 * client and table at DynamoDB Local, exactly as a Lambda container's environment would.
 * Returns a function that unregisters it.
 */
export function registerLocalJobs(options: { referralSweepIntervalMs?: number } = {}): () => void {
  return registerTimer(REFERRAL_SWEEP_JOB, options.referralSweepIntervalMs ?? REFERRAL_SWEEP_INTERVAL_MS, async () => {
    const report = await sweepReferrals(new Date());
    const touched = report.expiredRequests + report.lapsedHolds + report.escalated + report.siblingSweeps + report.failed;
    if (touched > 0) log(report.failed > 0 ? 'warn' : 'info', 'referral sweep', { ...report });
  });
}
