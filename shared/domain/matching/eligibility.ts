import type { Placement } from '../../schemas/directory';
import { availableBeds, candidateClock } from './candidate';
import { compileRulesButDistance } from './hard-rules';
import type { ResolvedYouth } from './youth';

/**
 * Whether a placement passes every hard rule but distance, for this youth, now: the placements a
 * match can offer once it has read them. The match's read budget counts these, so a dense area
 * full of programs the youth cannot go to (a keep-away area around the youth's own city, programs
 * for boys) widens the search instead of ending it.
 */
export function passesRulesButDistance(youth: ResolvedYouth, includeFull: boolean, now: Date): (p: Placement) => boolean {
  const clock = candidateClock(now);
  const rules = compileRulesButDistance({ youth, maxDistanceMiles: Number.POSITIVE_INFINITY, includeFull, today: clock.nowIso.slice(0, 10) });
  return (p) => rules(p, availableBeds(p.capacity, clock)) === 0;
}
