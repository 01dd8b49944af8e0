import type { Actor } from '../auth/actor';
import { auditPut, newAuditEntry } from '../data/audit';
import type { MatchRecord } from '../data/matches';
import { matchRecordPuts } from '../data/matches';
import type { PlacementsForMatch } from '../data/match-candidates';
import { MATCH_MAX_CELL_READS, matchOfferableBudget, placementsForMatch, servicesForMatch } from '../data/match-candidates';
import { transactWrite } from '../data/transact';
import { unmetDemandPut } from '../data/unmet-demand';
import type { ExcludedPlacement, RankOptions, RankOutcome } from '../domain/matching/rank-placements';
import { finishRanking, planRanking } from '../domain/matching/rank-placements';
import type { MatchResultView } from '../domain/matching/redact';
import { resultFor } from '../domain/matching/redact';
import { passesRulesButDistance } from '../domain/matching/eligibility';
import { unmetDemandEntry } from '../domain/matching/unmet-demand';
import { settlesTelehealthListing, wraparoundReads } from '../domain/matching/wraparound-reads';
import type { YouthProfile } from '../domain/matching/youth';
import { resolveYouth } from '../domain/matching/youth';
import { log } from '../http/logger';
import { chaseStaleCounts } from './capacity-requests';
import { currentPolicy } from './policy';

export interface MatchRequest {
  youth: YouthProfile;
  options: Required<RankOptions>;
}

export interface MatchResponse {
  matchId: string;
  policyVersion: number;
  createdAt: string;
  /** The stored match (and the youth details in it) is purged after this. */
  expiresAt: string;
  /**
   * How far the search reached: the youth's maximum distance or the policy's default, or less
   * where the directory is so dense that the read budget was met nearer (`narrowedSearch`).
   */
  searchRadiusMiles: number;
  /** Present when the search stopped short of the requested radius, with a sentence saying why. */
  narrowedSearch?: { requestedRadiusMiles: number; reason: string };
  results: MatchResultView[];
  /** Present when `options.explainExcluded`. */
  excluded?: ExcludedPlacement[];
  counts: RankOutcome['counts'] & { confirmationRequestsOpened: number };
  /** No eligible placement had an open bed: a de-identified unmet-demand entry was recorded. */
  unmetDemandRecorded: boolean;
}

/**
 * `POST /matches`: where should this youth sleep tonight, and why.
 *
 * 1. The policy in force (one GetItem) and the placements in the search circle, from the
 *    matching index (one Query per covering cell, nearest first, in parallel), until the circle
 *    is read or enough placements the youth could be offered lie nearer (the read budget).
 * 2. `planRanking`: every candidate once — hard rules and the cheap score components.
 * 3. The services around the contenders (the few candidates that can still make the top k), of
 *    the categories that fill the needs each does not meet itself: one more fan of Queries.
 * 4. `finishRanking`: the exact top k with wraparound, reasons and exclusions.
 * 5. One transaction stores the match (inputs and results, with a TTL), the unmet-demand entry
 *    if the youth had nowhere to go, and the audit record; meanwhile the providers of stale
 *    counts the match relied on are asked to confirm them.
 */
export async function createMatch(request: MatchRequest, meta: { actor: Actor; requestId: string; now: Date }): Promise<MatchResponse> {
  const { actor, requestId, now } = meta;
  const youth = resolveYouth(request.youth);
  const offerable = passesRulesButDistance(youth, request.options.includeFull, now);
  // The search radius needs the policy only when the youth named no maximum: then read it first.
  const named = youth.profile.preferences.maxDistanceMiles;
  const [policy, read] =
    named !== undefined
      ? await Promise.all([currentPolicy(), placementsForMatch(youth.point, named, offerable)])
      : await currentPolicy().then(async (p) => [p, await placementsForMatch(youth.point, p.matching.defaultMaxDistanceMiles, offerable)] as const);
  const requestedRadius = named ?? policy.matching.defaultMaxDistanceMiles;
  const plan = planRanking({ youth, placements: read.packed, policy, now, options: request.options });
  // Services are read once, after the placements: only around the few candidates that can still
  // make the top k (planRanking's contenders), and around each only the categories that fill a
  // need it does not meet itself. finishRanking gives the answer it would give with every service
  // of the search area.
  // The inactive providers read with the placements: their services are inactive too.
  const services = await servicesForMatch(wraparoundReads(plan.contenders, youth), policy.matching.wraparoundRadiusMiles, (s) => settlesTelehealthListing(s, youth), read.inactiveProviders);
  const outcome = finishRanking(plan, services);

  const matchId = crypto.randomUUID();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + policy.matching.matchRetentionHours * 3_600_000).toISOString();
  const record: MatchRecord = {
    matchId,
    createdAt: at,
    expiresAt,
    policyVersion: policy.version,
    createdBy: actor.sub,
    createdByRole: actor.role,
    ...(actor.agencyId ? { agencyId: actor.agencyId } : {}),
    jurisdiction: actor.jurisdiction,
    inputs: { youth: request.youth, options: request.options },
    youthState: youth.state,
    // Stored as a caseworker may read them: a referral's snapshot never carries a safe house's address.
    results: outcome.results.map((r) => resultFor(r, 'caseworker')),
    counts: outcome.counts,
  };
  const unmet = unmetDemandEntry(youth, outcome, now, crypto.randomUUID());
  // The audit says a match was made and what it produced, never who the youth is or where.
  const audit = newAuditEntry({
    actor,
    action: 'match.create',
    targetType: 'match',
    targetId: matchId,
    changes: {
      policyVersion: { before: null, after: policy.version },
      results: { before: null, after: outcome.results.map((r) => r.placementId) },
      // Whether one was recorded, never which: the entry must not lead back to this match (and
      // through it to the youth's record or the caseworker and the minute).
      ...(unmet ? { unmetDemandRecorded: { before: null, after: true } } : {}),
    },
    requestId,
    at,
  });
  await transactWrite([...matchRecordPuts(record), ...(unmet ? [unmetDemandPut(unmet)] : []), auditPut(audit)]);
  // Who asked, for the alarm on a caseworker's match volume (infra/constructs/harbor-alarms.ts,
  // addMatchVolume): many matches can work out where a safe house is. Never the youth.
  log('info', 'match created', { sub: actor.sub, role: actor.role, requestId });
  // Only once the match is stored: a request says a match relied on the count, so there must be one.
  const opened = await chaseStaleCounts(outcome.countsToConfirm, meta);

  return {
    matchId,
    policyVersion: policy.version,
    createdAt: at,
    expiresAt,
    searchRadiusMiles: read.radiusMiles,
    ...(read.radiusMiles < requestedRadius
      ? {
          narrowedSearch: { requestedRadiusMiles: requestedRadius, reason: narrowedSearchReason(read, requestedRadius) },
        }
      : {}),
    results: outcome.results.map((r) => resultFor(r, actor.role)),
    ...(request.options.explainExcluded ? { excluded: outcome.excluded } : {}),
    counts: { ...outcome.counts, confirmationRequestsOpened: opened },
    unmetDemandRecorded: unmet !== undefined,
  };
}

/** Why the search covered less than the radius asked for, as the coordinator reads it. */
function narrowedSearchReason(read: PlacementsForMatch, requestedRadius: number): string {
  return read.narrowedBy === 'reads'
    ? `A search reads at most the ${MATCH_MAX_CELL_READS} map areas nearest the youth; they cover every program within ${read.radiusMiles} miles, so the search stopped there instead of reaching ${requestedRadius} miles.`
    : `At least ${matchOfferableBudget().toLocaleString('en-US')} programs that can take this youth lie within ${read.radiusMiles} miles, so the search covered every program within ${read.radiusMiles} miles and stopped there instead of reaching ${requestedRadius} miles.`;
}
