/**
 * Exports the directory as one Open Referral HSDS 3.0 document (docs/hsds.md):
 *
 *   tsx scripts/hsds-export.ts --endpoint http://localhost:8000 --table harbor-local --out export.json [--state TX] [--no-capacity]
 *
 * Reads through the table's indexes, never a Scan: the providers' partition (gsi2 `PROVIDERS`),
 * then each state's placement and service partitions (gsi2 `PLACEMENT#STATE#…`,
 * `SERVICE#STATE#…`) in turn, page by page. `--state` (repeatable, or comma-separated) limits the
 * export to those states' programs and the providers that run them or serve those states.
 * Confidential locations are exported at city/state/ZIP level only (shared/hsds/export.ts).
 *
 * --aws reads a real table instead (credentials and region from the usual AWS chain, or --region).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { documentClientFor, readTableTarget, TABLE_TARGET_OPTIONS } from './table-target';
import { resetConfig } from '../shared/config/env';
import { setDocumentClient } from '../shared/data/client';
import type { DirectoryKind } from '../shared/data/directory-index';
import { indexPage } from '../shared/data/directory-index';
import { placementFromItem } from '../shared/data/placements';
import { listProviders } from '../shared/data/providers';
import { serviceFromItem } from '../shared/data/services';
import type { HarborDirectory } from '../shared/hsds/export';
import { exportDirectory } from '../shared/hsds/export';
import type { HsdsDocument } from '../shared/hsds/types';
import type { Placement, Provider, Service } from '../shared/schemas/directory';
import { STATES } from '../shared/schemas/vocabulary';
import { runIfMain } from './cli';

const USAGE =
  'Usage: tsx scripts/hsds-export.ts (--endpoint <url> | --aws) [--table harbor-local] --out <file.json> [--state TX ...] [--no-capacity] [--region us-east-1]';

export interface ExportArgs {
  endpoint?: string;
  aws: boolean;
  table: string;
  out: string;
  /** Empty: every state. */
  states: string[];
  capacity: boolean;
  region: string;
}

export function parseExportArgs(argv: string[]): ExportArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...TABLE_TARGET_OPTIONS,
      out: { type: 'string' },
      state: { type: 'string', multiple: true, default: [] },
      'no-capacity': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const target = readTableTarget(values, USAGE);
  if (!values.out) throw new Error(`Give --out <file.json>.\n${USAGE}`);
  const states = values.state.flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
  const unknown = states.filter((s) => !(STATES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--state: unknown state code(s) ${unknown.join(', ')}.`);
  return {
    ...target,
    out: values.out,
    states: [...new Set(states)],
    capacity: !values['no-capacity'],
  };
}

const PAGE = 100;

/** Every item of one state partition of `kind`, page by page through the state index. */
async function statePartition(kind: DirectoryKind, state: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await indexPage({ kind, by: { state }, limit: PAGE, ...(cursor ? { cursor } : {}), keep: () => true });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function allProviders(): Promise<Provider[]> {
  const providers: Provider[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProviders(PAGE, cursor);
    providers.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return providers;
}

/**
 * The directory as this process's table holds it (`TABLE_NAME` and the shared document client,
 * as the handlers use them), read through the indexes. With `states`, only those states'
 * placements and services, and the providers that run them or serve one of those states.
 */
export async function readDirectory(options: { states?: string[] } = {}): Promise<HarborDirectory> {
  const states = options.states && options.states.length > 0 ? options.states : [...STATES];
  const placements: Placement[] = [];
  const services: Service[] = [];
  for (const state of states) {
    placements.push(...(await statePartition('PLACEMENT', state)).map(placementFromItem));
    services.push(...(await statePartition('SERVICE', state)).map(serviceFromItem));
  }
  let providers = await allProviders();
  if (options.states && options.states.length > 0) {
    const running = new Set([...placements, ...services].map((x) => x.providerId));
    const wanted = new Set(options.states);
    providers = providers.filter((p) => running.has(p.id) || p.statesServed.some((s) => wanted.has(s)));
  }
  return { providers, placements, services };
}

/** Reads the directory through the indexes and maps it to one HSDS document. */
export async function exportFromIndex(options: { states?: string[]; now?: Date; includeCapacity?: boolean } = {}): Promise<HsdsDocument> {
  const directory = await readDirectory(options.states ? { states: options.states } : {});
  return exportDirectory(directory, { now: options.now ?? new Date(), ...(options.includeCapacity === false ? { includeCapacity: false } : {}) });
}

async function main(): Promise<void> {
  const args = parseExportArgs(process.argv.slice(2));
  // Point this process at the table, as the local server does for the handlers.
  process.env.TABLE_NAME = args.table;
  process.env.AWS_REGION = args.region;
  if (args.endpoint) process.env.DYNAMODB_ENDPOINT = args.endpoint;
  resetConfig();
  const doc = documentClientFor(args);
  setDocumentClient(doc);
  try {
    const started = performance.now();
    const document = await exportFromIndex({ ...(args.states.length > 0 ? { states: args.states } : {}), includeCapacity: args.capacity });
    await writeFile(args.out, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const capacities = document.services.filter((s) => s.capacities).length;
    process.stdout.write(
      `Wrote ${document.organizations.length} organizations and ${document.services.length} services ` +
        `(${capacities} with bed capacity) from ${args.table}${args.states.length > 0 ? ` (${args.states.join(', ')})` : ''} to ${args.out} in ${seconds} s\n`,
    );
  } finally {
    setDocumentClient(undefined);
    doc.destroy();
  }
}

runIfMain(import.meta.url, main);
