import { z } from 'zod';
import { YouthProfile } from '../../shared/domain/matching/youth';

/** `options` of POST /matches (API.md). */
export const MatchOptions = z.strictObject({
  /** How many ranked results to return. */
  limit: z.number().int().min(1).max(100).default(20),
  /** Rank programs with no open bed too, instead of excluding them. */
  includeFull: z.boolean().default(false),
  /** Return excluded programs with their rules and what would change them. */
  explainExcluded: z.boolean().default(true),
  /** At most this many excluded programs are explained, nearest to eligible first. */
  excludedLimit: z.number().int().min(1).max(200).default(50),
});

export const MatchRequestBody = z.strictObject({
  youth: YouthProfile,
  options: MatchOptions.default({ limit: 20, includeFull: false, explainExcluded: true, excludedLimit: 50 }),
});
export type MatchRequestBody = z.infer<typeof MatchRequestBody>;
