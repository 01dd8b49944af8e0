import type { ScheduledEvent } from 'aws-lambda';
import { log } from '../../shared/http/logger';
import type { SweepReport } from '../../shared/referrals/sweep';
import { sweepReferrals } from '../../shared/referrals/sweep';

/**
 * The scheduled referral sweep (EventBridge, every 5 minutes): lapses holds, expires unanswered
 * referrals, flags escalations, finishes interrupted sibling withdrawals. Not an HTTP route.
 * Throws only when the run itself fails (so Lambda retries it and then dead-letters the event);
 * single items that fail stay on the due list for the next run.
 */
export async function handler(event: Partial<ScheduledEvent> = {}): Promise<SweepReport> {
  const report = await sweepReferrals(new Date(), event.id ? `sweep-${event.id}` : undefined);
  log(report.failed > 0 ? 'warn' : 'info', 'referral sweep finished', { ...report });
  return report;
}
