import { z } from 'zod';

/**
 * The matching and referral policy: data, versioned, stored in the table and tuned by admins
 * (GET/PUT /policy). The default below is what a new installation starts with; every weight is
 * explained in docs/matching.md.
 */
export const PolicyBody = z.strictObject({
  weights: z.strictObject({
    needs: z.number().min(0).max(10),
    specialization: z.number().min(0).max(10),
    distance: z.number().min(0).max(10),
    freshness: z.number().min(0).max(10),
    language: z.number().min(0).max(10),
    runRisk: z.number().min(0).max(10),
    wraparound: z.number().min(0).max(10),
  }),
  matching: z.strictObject({
    /** Distance at which the distance score has halved. */
    distanceHalfLifeMiles: z.number().min(1).max(1000),
    /** Default maximum distance when the youth's preferences name none. */
    defaultMaxDistanceMiles: z.number().min(1).max(3000),
    /** How far from a placement an in-person service may be to count as wraparound. */
    wraparoundRadiusMiles: z.number().min(1).max(500),
    /** How long a match record (with the youth's location and keep-away areas) is kept. */
    matchRetentionHours: z.number().int().min(1).max(24 * 30),
  }),
  referrals: z.strictObject({
    /** How long an accepted referral holds a bed before the hold lapses. */
    holdWindowMinutes: z.number().int().min(15).max(7 * 24 * 60),
    /** How long a provider has to answer a requested referral before it expires. */
    responseWindowMinutes: z.number().int().min(15).max(7 * 24 * 60),
    /** After this long unanswered, a referral is flagged for the coordinator. */
    escalationMinutes: z.number().int().min(5).max(7 * 24 * 60),
    /** How long a closed referral keeps the youth's details before they are purged. */
    youthRetentionDays: z.number().int().min(1).max(3650),
  }),
});
export type PolicyBody = z.infer<typeof PolicyBody>;

export interface Policy extends PolicyBody {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export const DEFAULT_POLICY: Policy = {
  version: 1,
  updatedAt: '2026-11-21T00:00:00.000Z',
  updatedBy: 'system',
  weights: { needs: 4, specialization: 2, distance: 1.5, freshness: 1.5, language: 1, runRisk: 1.5, wraparound: 1 },
  matching: { distanceHalfLifeMiles: 60, defaultMaxDistanceMiles: 300, wraparoundRadiusMiles: 25, matchRetentionHours: 72 },
  referrals: { holdWindowMinutes: 240, responseWindowMinutes: 24 * 60, escalationMinutes: 120, youthRetentionDays: 90 },
};
