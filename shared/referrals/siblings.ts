import { getReferralYouth, markSiblingsSwept, openReferralIdsOfYouth } from '../data/referrals';
import type { Referral } from '../domain/referrals/referral';
import { TransitionRefused } from '../domain/referrals/state-machine';
import { NotFound } from '../errors';
import { log } from '../http/logger';
import { withdrawAsPlacedElsewhere } from './close';
import type { ReferralRequestMeta } from './context';
import { SYSTEM_ACTOR, referralAudit } from './context';

/**
 * After a youth is placed: withdraw their other open referrals (same referrer scope and case
 * reference, created before the placement) and so release their holds.
 *
 * It runs twice. Right after the place transaction (`final: false`), so the beds come back at
 * once; and from the expiry job once the grace period has passed (`final: true`), which withdraws
 * anything the first pass missed — because the process died in between, or because the index it
 * reads had not yet caught up with a referral created a moment before — and only then takes the
 * placed referral off the job's list. Safe to repeat: a sibling already closed is skipped, and
 * every withdrawal is conditional on the sibling's status. Failures are logged, never thrown (the
 * placement itself has happened); the next job run tries again.
 */
export async function withdrawOpenSiblings(
  placed: Referral,
  meta: ReferralRequestMeta,
  options: { final: boolean },
): Promise<{ withdrawn: string[]; finished: boolean }> {
  const system: ReferralRequestMeta = { ...meta, actor: SYSTEM_ACTOR };
  const withdrawn: string[] = [];
  try {
    const youth = await getReferralYouth(placed.id);
    const placedAt = placed.closedAt ?? placed.updatedAt;
    const siblings = youth ? (await openReferralIdsOfYouth(youth.youthKey, placedAt)).filter((id) => id !== placed.id) : [];
    for (const id of siblings) {
      try {
        await withdrawAsPlacedElsewhere(id, system);
        withdrawn.push(id);
      } catch (error) {
        // Closed meanwhile (answered, expired, withdrawn by someone else): nothing left to do.
        if (error instanceof TransitionRefused || error instanceof NotFound) continue;
        throw error;
      }
    }
    if (options.final) {
      await markSiblingsSwept({
        referralId: placed.id,
        audit: referralAudit(system, 'referral.siblings_swept', placed.id, {
          withdrawnSiblings: { before: null, after: withdrawn },
          ...(youth ? {} : { youthDetails: { before: null, after: 'already purged: no siblings to look for' } }),
        }),
      });
    }
    return { withdrawn, finished: true };
  } catch (error) {
    log('error', 'sibling sweep failed; the expiry job will retry it', {
      referralId: placed.id,
      requestId: meta.requestId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return { withdrawn, finished: false };
  }
}
