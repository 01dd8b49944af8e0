import { z } from 'zod';
import { DECLINE_REASONS, WITHDRAW_REASONS } from '../domain/referrals/reasons';
import { REFERRAL_STATUSES } from '../domain/referrals/state-machine';
import { BooleanQuery, Id, PageQuery, text } from '../schemas/common';

/** `Idempotency-Key`: any printable ASCII without spaces (a UUID is typical), at most 255 characters. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1–255 printable characters without spaces');

export const DeclineReferralBody = z.strictObject({
  reason: z.enum(DECLINE_REASONS),
  note: text(2000).optional(),
});

export const WithdrawReferralBody = z.strictObject({
  reason: z.enum(WITHDRAW_REASONS),
  note: text(2000).optional(),
});

export const ListReferralsQuery = z.strictObject({
  status: z.enum(REFERRAL_STATUSES).optional(),
  placementId: Id.optional(),
  escalated: BooleanQuery.optional(),
  ...PageQuery,
});
export type ListReferralsQuery = z.infer<typeof ListReferralsQuery>;
