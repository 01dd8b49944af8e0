import { MatchRequestBody } from '../../functions/create-match/schema';
import { UnmetDemandQuery } from '../../functions/get-unmet-demand/schema';
import { ListCapacityRequestsQuery } from '../../functions/list-capacity-requests/schema';
import { ListStaleCountsQuery } from '../../functions/list-stale-placements/schema';
import { PolicyBody } from '../domain/policy';
import type { OperationDoc } from '../openapi/operations';

/** The OpenAPI documentation of the matching routes (merged into the document by shared/openapi/document.ts). */
export const MATCHING_OPERATIONS: Record<string, OperationDoc> = {
  'create-match': {
    summary:
      'Ranked, explained placements for one youth (no identifying details): results with score, components, reasons, wraparound; excluded programs with rules and what would change them. searchRadiusMiles is how far the search reached; where the directory is so dense that enough programs that can take the youth lie nearer, it stops there and narrowedSearch says why.',
    body: MatchRequestBody,
    statuses: [413, 503],
  },
  'get-policy': { summary: 'The matching and referral policy in force; ETag is its version.' },
  'update-policy': {
    summary: 'Replace the policy (admin); every change is audited.',
    body: PolicyBody,
    headers: [{ name: 'If-Match', required: true, description: 'The current policy version (428 without it, 412 when stale).' }],
    statuses: [412, 413, 428, 503],
  },
  'list-capacity-requests': {
    summary: 'Open requests to confirm stale bed counts that matches relied on (provider staff: their own; admin: name providerId).',
    query: ListCapacityRequestsQuery,
  },
  'list-stale-placements': {
    summary: 'Active placements in the caller’s states whose counts are stale or never reported, oldest count first in each state (coordinator: jurisdiction; admin: name states).',
    query: ListStaleCountsQuery,
  },
  'get-unmet-demand': {
    summary: 'Matches that found no eligible placement with an open bed, counted by need, state and month (de-identified).',
    query: UnmetDemandQuery,
  },
};
