/**
 * Loads the demo directory by hand:
 *
 *   tsx scripts/seed/seed-cli.ts --endpoint http://localhost:8000 --table harbor-local --scale 1
 *
 * With --endpoint (DynamoDB Local) the table is created first if it does not exist. Writing to a
 * real AWS table needs --aws instead (credentials and region from the usual AWS chain, or
 * --region); the table must already exist there.
 */
import { parseArgs } from 'node:util';
import { documentClientFor, readTableTarget, TABLE_TARGET_OPTIONS } from '../table-target';
import { ensureTable } from '../local-table';
import { loadDemoDirectory } from './load-demo';
import { runIfMain } from '../cli';

const USAGE = `Usage: tsx scripts/seed/seed-cli.ts (--endpoint <url> | --aws) [--table harbor-local] [--scale 1] [--seed <n>] [--region us-east-1]`;

export interface SeedArgs {
  endpoint?: string;
  aws: boolean;
  table: string;
  scale: number;
  seed?: number;
  region: string;
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...TABLE_TARGET_OPTIONS,
      scale: { type: 'string', default: '1' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const target = readTableTarget(values, USAGE);
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`--scale must be a whole number ≥ 1, not "${values.scale}".`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, not "${values.seed}".`);
  return {
    ...target,
    scale,
    ...(seed !== undefined ? { seed } : {}),
  };
}

async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  const doc = documentClientFor(args);
  try {
    if (args.endpoint) {
      const { created } = await ensureTable(doc, args.table);
      if (created) process.stdout.write(`Created table ${args.table} at ${args.endpoint}\n`);
    }
    const started = performance.now();
    const counts = await loadDemoDirectory({ doc, tableName: args.table, scale: args.scale, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Loaded ${counts.providers} providers, ${counts.placements} placements and ${counts.services} services (+1 audit record) into ${args.table} in ${seconds} s\n`,
    );
  } finally {
    doc.destroy();
  }
}

runIfMain(import.meta.url, main);
