/**
 * The reason codes a referral can close with (API.md, "decline reasons"). They are data for
 * reports, so they are a fixed vocabulary: free text goes in a note, never in a code.
 */

/** The provider cannot or will not take this youth. */
export const PROVIDER_DECLINE_REASONS = [
  'no_bed_available',
  'age_out_of_range',
  'gender_not_served',
  'needs_exceed_level_of_care',
  'exclusion_criteria',
  'safety_concern',
  'staffing',
  'out_of_service_area',
  'other_provider',
] as const;

/** The referral ends for a reason on the youth's side (the youth, the guardian, events). */
export const YOUTH_DECLINE_REASONS = ['youth_declined', 'youth_ran', 'guardian_declined', 'placed_elsewhere', 'other_youth'] as const;

export const DECLINE_REASONS = [...PROVIDER_DECLINE_REASONS, ...YOUTH_DECLINE_REASONS] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Which side a decline came from: reports tell provider refusals apart from youth-side outcomes. */
export type DeclineSide = 'provider' | 'youth';

export function declineSide(reason: DeclineReason): DeclineSide {
  return (PROVIDER_DECLINE_REASONS as readonly string[]).includes(reason) ? 'provider' : 'youth';
}

/**
 * Why the referring side withdrew a referral. `placed_elsewhere` is also what the system records
 * when another referral of the same youth is placed.
 */
export const WITHDRAW_REASONS = [
  'placed_elsewhere',
  'youth_ran',
  'youth_declined',
  'guardian_declined',
  'no_longer_needed',
  'referred_in_error',
  'other',
] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

/** Why the system expired a referral: nobody answered in time, or an accepted bed was never taken. */
export const EXPIRE_REASONS = ['no_response', 'hold_lapsed'] as const;
export type ExpireReason = (typeof EXPIRE_REASONS)[number];
