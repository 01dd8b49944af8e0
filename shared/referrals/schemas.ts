import { z } from 'zod';
import { YouthProfile } from '../domain/matching/youth';
import { DECLINE_REASONS, WITHDRAW_REASONS } from '../domain/referrals/reasons';
import { REFERRAL_STATUSES } from '../domain/referrals/state-machine';
import { BooleanQuery, Id, PageQuery, text } from '../schemas/common';

/**
 * The youth of a referral: the matching profile (identifying fields refused, shared with POST
 * /matches), with the case reference required — it is how the youth's other referrals are found
 * and withdrawn when one is placed.
 */
export const ReferralYouth = YouthProfile.superRefine((youth, ctx) => {
  if (youth.caseRef === undefined) {
    ctx.addIssue({ code: 'custom', path: ['caseRef'], message: 'required for a referral: the agency\'s opaque case reference' });
  }
});

export const CreateReferralBody = z.strictObject({
  placementId: Id,
  youth: ReferralYouth,
  /** The match this referral came from: its explanation for the placement is kept with the referral. */
  matchId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a matchId from POST /matches').optional(),
  /** The caseworker's note to the provider (no names: the youth must stay unidentifiable). */
  note: text(2000).optional(),
});
export type CreateReferralBody = z.infer<typeof CreateReferralBody>;

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
