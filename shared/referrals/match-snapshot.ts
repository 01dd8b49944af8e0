import type { Actor } from '../auth/actor';
import { getMatchRecord } from '../data/matches';
import type { MatchSnapshot } from '../domain/referrals/packet';
import { ValidationFailed } from '../errors';

/**
 * The explanation of `placementId` in the caller's match `matchId`, frozen for the referral.
 *
 * A match record holds the youth's location and keep-away areas, so only its author (or, for a
 * caseworker, their agency) may build on it; anyone else's match, an expired one, or one without
 * this placement among its results is a 400 on `matchId`. Only the explanation is copied — never
 * the record's youth, and never the placement's location.
 */
export async function snapshotMatch(matchId: string, placementId: string, actor: Actor, now: Date): Promise<MatchSnapshot> {
  const record = await getMatchRecord(matchId, now);
  const mine = record && (record.createdBy === actor.sub || (actor.agencyId !== undefined && record.agencyId === actor.agencyId));
  if (!record || !mine) {
    throw new ValidationFailed(`Match ${matchId} does not exist, has expired, or is not yours.`, [{ path: 'matchId', message: 'no such match' }]);
  }
  const index = record.results.findIndex((r) => r.placementId === placementId);
  const result = record.results[index];
  if (!result) {
    throw new ValidationFailed(`Match ${matchId} did not rank placement ${placementId}.`, [
      { path: 'matchId', message: 'this placement is not among the match results' },
    ]);
  }
  return {
    matchId,
    policyVersion: record.policyVersion,
    matchedAt: record.createdAt,
    rank: index + 1,
    score: result.score,
    components: { ...result.components },
    reasons: [...result.reasons],
    summary: result.summary,
    distanceMiles: result.distanceMiles,
    wraparound: [...result.wraparound],
  };
}
