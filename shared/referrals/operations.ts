import type { OperationDoc } from '../openapi/operations';
import { CreateReferralBody } from './create-schema';
import { DeclineReferralBody, ListReferralsQuery, WithdrawReferralBody } from './schemas';

/** The OpenAPI documentation of the referral routes (merged into the document by shared/openapi/document.ts). */
export const REFERRAL_OPERATIONS: Record<string, OperationDoc> = {
  'create-referral': {
    summary:
      'Refer a youth (no identifying details; caseRef required) to a placement, optionally from a match (its explanation is kept). Idempotent per caller and Idempotency-Key: a repeat answers with the first referral (Idempotent-Replayed: true). 409 placement_inactive when the placement or its provider is inactive (nothing is written).',
    body: CreateReferralBody,
    headers: [{ name: 'Idempotency-Key', required: true, description: 'Any 1–255 printable characters, unique per new referral (a UUID). Same key + same body → the first referral; same key + another body → 422.' }],
    statuses: [201, 409, 413, 422, 503],
  },
  'list-referrals': {
    summary: 'Referrals the caller may see (caseworker: their agency; coordinator: their states; provider staff: to their placements; admin: all), newest first; filter by status, placementId, escalated=true. No youth details.',
    query: ListReferralsQuery,
  },
  'get-referral': {
    summary: 'One referral with the youth’s details as the caller may read them (provider staff: the minimum-necessary packet, never location or keep-away areas). Every read is audited.',
    statuses: [404, 503],
  },
  'accept-referral': { summary: 'Accept (provider staff of the placement): holds a bed until holdExpiresAt. 409 no_bed_available, placement_inactive (the placement or its provider is inactive), or referral_<status>.', statuses: [404, 409, 503] },
  'decline-referral': { summary: 'Decline with a reason code (provider- or youth-side) and a note.', body: DeclineReferralBody, statuses: [404, 409, 413, 503] },
  'withdraw-referral': { summary: 'Withdraw (the referring agency’s caseworkers, a coordinator overseeing it): releases any hold.', body: WithdrawReferralBody, statuses: [404, 409, 413, 503] },
  'place-referral': { summary: 'The youth arrived: the hold becomes an occupied bed; the youth’s other open referrals are withdrawn.', statuses: [404, 409, 503] },
};
