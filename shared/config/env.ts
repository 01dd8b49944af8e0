import { z } from 'zod';

/**
 * Configuration is parsed once, fails fast on a missing or malformed value, and is never read
 * from `process.env` anywhere else.
 */
const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set only locally and in tests: the DynamoDB Local endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** The EventBridge bus referral events go to; absent locally (the in-process bus is used). */
  EVENT_BUS_NAME: z.string().min(1).optional(),
  /**
   * A match stops reading placements, nearest first, once it holds this many it could offer
   * (shared/data/match-candidates.ts, MATCH_OFFERABLE_BUDGET explains the default).
   */
  MATCH_OFFERABLE_BUDGET: z.coerce.number().int().min(1).default(2_000),
});

export type HarborConfig = z.infer<typeof EnvSchema>;

let cached: HarborConfig | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HarborConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Harbor configuration is invalid or missing: ${names}`);
  }
  return parsed.data;
}

/** The configuration of this container, parsed on first use. */
export function config(): HarborConfig {
  cached ??= loadConfig();
  return cached;
}

/** For tests and the local server, which set the environment after import. */
export function resetConfig(): void {
  cached = undefined;
}
