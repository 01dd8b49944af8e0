import { z } from 'zod';
import { YouthProfile } from '../domain/matching/youth';
import { Id, text } from '../schemas/common';

// Apart from the other referral schemas: the youth profile validates ZIP codes against the ZIP
// dataset, which only the routes that take a youth need to bundle.

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
