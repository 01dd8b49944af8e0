/**
 * Imports an Open Referral HSDS 3.0 document into a Harbor table (docs/hsds.md):
 *
 *   tsx scripts/hsds-import.ts --endpoint http://localhost:8000 --table harbor-local --in file.json [--dry-run] [--report report.json]
 *
 * The document is mapped by shared/hsds/import.ts (every body validated by Harbor's own create
 * schemas; what cannot be mapped is listed with its reasons). Then, as the demo loader does, the
 * providers, placements (with the first capacity report) and services are written as the same
 * items the API stores, with BatchWrite (25 items a request, unprocessed items retried with
 * backoff), each with an audit record of its import, and one audit record of the whole import.
 *
 * Records already in the table (same Harbor id) are skipped, never overwritten: a re-import
 * cannot wipe live counts or referral holds. --dry-run maps and reports without touching a table.
 *
 * With --endpoint (DynamoDB Local) the table is created first if it does not exist; with --aws it
 * must exist.
 *
 * Exit status: 0 when every record was imported (or skipped as already there), 2 when some were
 * rejected (the rest are written), 1 on failure.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { documentClientFor, readTableTarget, TABLE_TARGET_OPTIONS } from './table-target';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../shared/auth/actor';
import { resolveLocation } from '../shared/directory/locations';
import { initialCapacity } from '../shared/domain/capacity';
import { auditItem, changedFields, newAuditEntry } from '../shared/data/audit';
import { capacityHistoryItem, placementItem } from '../shared/data/placements';
import { providerItem } from '../shared/data/providers';
import { serviceItem } from '../shared/data/services';
import { telehealthListingItems } from '../shared/data/telehealth-listings';
import type { HsdsImport } from '../shared/hsds/import';
import { importHsds } from '../shared/hsds/import';
import type { Placement, Provider, Service } from '../shared/schemas/directory';
import type { RetryPolicy } from './bulk-write';
import { backoff, DEFAULT_RETRY, putAll } from './bulk-write';
import { ensureTable } from './local-table';
import { runIfMain } from './cli';

const USAGE =
  'Usage: tsx scripts/hsds-import.ts (--endpoint <url> | --aws) [--table harbor-local] --in <file.json> [--dry-run] [--report <report.json>] [--by <who>] [--region us-east-1]';

export interface ImportArgs {
  endpoint?: string;
  aws: boolean;
  table: string;
  in: string;
  dryRun: boolean;
  report?: string;
  by: string;
  region: string;
}

export function parseImportArgs(argv: string[]): ImportArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...TABLE_TARGET_OPTIONS,
      in: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      by: { type: 'string', default: 'hsds-import' },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  if (!values.in) throw new Error(`Give --in <file.json>.\n${USAGE}`);
  const dryRun = values['dry-run'];
  const target = readTableTarget(values, USAGE, { optional: dryRun, orElse: '--dry-run' });
  return {
    ...target,
    in: values.in,
    dryRun,
    ...(values.report ? { report: values.report } : {}),
    by: values.by,
  };
}


const BATCH_GET_SIZE = 100;

export interface WriteImportOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  result: HsdsImport;
  now?: Date;
  /** Who the import is recorded as (audit, capacity history). Default: `hsds-import`, an admin. */
  actor?: Actor;
  /** Where the document came from, for the audit record (file name and digest). */
  source?: string;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

export interface Skipped {
  kind: 'provider' | 'placement' | 'service';
  id: string;
  reason: string;
}

export interface WriteImportResult {
  written: { providers: number; placements: number; services: number };
  skipped: Skipped[];
  /** The id of the audit record of the whole import. */
  auditId: string;
}

/** Harbor objects from the import's create bodies, as the create use cases would store them. */
export function harborObjects(result: HsdsImport, at: string, by: string): { providers: Provider[]; placements: Placement[]; services: Service[] } {
  const stamp = { version: 1, createdAt: at, updatedAt: at };
  const providers = result.providers.map((p): Provider => ({ ...p.body, id: p.id, ...stamp }));
  const placements = result.placements.map((p): Placement => {
    const { capacity: report, ...profile } = p.body;
    const capacity = initialCapacity(report, by, at);
    // The count is as old as its report, not as new as the import (freshness).
    if (report && p.capacityReportedAt) capacity.updatedAt = p.capacityReportedAt;
    return { ...profile, id: p.id, location: resolveLocation(p.body.location), capacity, ...stamp };
  });
  const services = result.services.map((s): Service => ({ ...s.body, id: s.id, location: resolveLocation(s.body.location), ...stamp }));
  return { providers, placements, services };
}

/** Which of `keys` (pk/sk) are already items of the table. */
async function existingKeys(doc: DynamoDBDocumentClient, tableName: string, keys: { pk: string; sk: string }[], retry: RetryPolicy): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_SIZE);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > retry.maxRetries) throw new Error(`BatchGet on ${tableName}: ${pending.length} key(s) still unprocessed after ${retry.maxRetries} retries.`);
      if (attempt > 0) await backoff(retry, attempt);
      const out = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'pk, sk' } } }),
      );
      for (const item of out.Responses?.[tableName] ?? []) found.add(`${String(item.pk)}|${String(item.sk)}`);
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/**
 * Writes an import into a table: each new provider, placement (and its first capacity report)
 * and service, each with its `*.import` audit record, then one `directory.import` audit record.
 * Objects whose id is already in the table are skipped (listed in `skipped`), never overwritten.
 */
export async function writeImport(options: WriteImportOptions): Promise<WriteImportResult> {
  const { doc, tableName, result } = options;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const actor: Actor = options.actor ?? { sub: 'hsds-import', role: 'admin', jurisdiction: [] };
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const requestId = `hsds-import-${at}`;
  const objects = harborObjects(result, at, actor.sub);

  const candidates = [
    ...objects.providers.map((o) => ({ kind: 'provider' as const, object: o, item: providerItem(o) })),
    ...objects.placements.map((o) => ({ kind: 'placement' as const, object: o, item: placementItem(o) })),
    ...objects.services.map((o) => ({ kind: 'service' as const, object: o, item: serviceItem(o) })),
  ];
  const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;
  const existing = await existingKeys(
    doc,
    tableName,
    candidates.map((c) => ({ pk: String(c.item.pk), sk: String(c.item.sk) })),
    retry,
  );
  const skipped: Skipped[] = [];
  const items: Record<string, unknown>[] = [];
  const written = { providers: 0, placements: 0, services: 0 };
  for (const c of candidates) {
    if (existing.has(keyOf(c.item))) {
      skipped.push({ kind: c.kind, id: c.object.id, reason: 'already in the table (not overwritten)' });
      continue;
    }
    items.push(c.item);
    if (c.kind === 'placement') {
      const p = c.object as Placement;
      written.placements += 1;
      if (p.capacity.updatedAt) {
        items.push(
          capacityHistoryItem({
            placementId: p.id,
            action: 'report',
            at: p.capacity.updatedAt,
            by: actor.sub,
            role: actor.role,
            version: p.capacity.version,
            before: null,
            after: { total: p.capacity.total, occupied: p.capacity.occupied },
            requestId,
          }),
        );
      }
    } else if (c.kind === 'provider') written.providers += 1;
    else {
      written.services += 1;
      items.push(...telehealthListingItems(c.object as Service));
    }
    const changes = changedFields(undefined, c.object as unknown as Record<string, unknown>);
    items.push(auditItem(newAuditEntry({ actor, action: `${c.kind}.import`, targetType: c.kind, targetId: c.object.id, changes, requestId, at })));
  }

  await putAll(doc, tableName, items, { ...(options.concurrency ? { concurrency: options.concurrency } : {}), retry });

  const summary = newAuditEntry({
    actor,
    action: 'directory.import',
    targetType: 'directory',
    targetId: 'hsds-import',
    changes: {
      source: { before: null, after: options.source ?? null },
      providers: { before: 0, after: written.providers },
      placements: { before: 0, after: written.placements },
      services: { before: 0, after: written.services },
      skipped: { before: null, after: skipped.length },
      rejected: { before: null, after: result.rejected.length },
    },
    requestId,
    at,
  });
  await doc.send(new PutCommand({ TableName: tableName, Item: auditItem(summary), ConditionExpression: 'attribute_not_exists(pk)' }));
  return { written, skipped, auditId: summary.id };
}

/** The import's findings as lines for a person: counts, then every rejection and warning. */
export function describeImport(result: HsdsImport): string[] {
  const lines = [
    `Read ${result.seen.organizations} organizations and ${result.seen.services} services: ` +
      `${result.providers.length} providers, ${result.placements.length} placements and ${result.services.length} services to import, ` +
      `${result.rejected.length} rejected, ${result.warnings.length} warnings.`,
  ];
  for (const r of result.rejected) lines.push(`REJECTED ${r.kind} ${r.hsdsId ?? '(no id)'} "${r.name ?? ''}": ${r.reasons.join('; ')}`);
  for (const w of result.warnings) lines.push(`warning  ${w.kind} ${w.hsdsId ?? '(no id)'} "${w.name ?? ''}": ${w.message}`);
  return lines;
}

async function main(): Promise<number> {
  const args = parseImportArgs(process.argv.slice(2));
  const text = await readFile(args.in, 'utf8');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new Error(`${args.in} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const now = new Date();
  const result = importHsds(input, { now });
  for (const line of describeImport(result)) process.stdout.write(`${line}\n`);
  let written: WriteImportResult | undefined;
  if (args.dryRun) {
    process.stdout.write('Dry run: nothing written.\n');
  } else {
    const doc = documentClientFor(args);
    try {
      if (args.endpoint) {
        const { created } = await ensureTable(doc, args.table);
        if (created) process.stdout.write(`Created table ${args.table} at ${args.endpoint}\n`);
      }
      const digest = createHash('sha256').update(text).digest('hex');
      written = await writeImport({
        doc,
        tableName: args.table,
        result,
        now,
        actor: { sub: args.by, role: 'admin', jurisdiction: [] },
        source: `${basename(args.in)} sha256:${digest}`,
      });
    } finally {
      doc.destroy();
    }
    const w = written.written;
    process.stdout.write(
      `Wrote ${w.providers} providers, ${w.placements} placements and ${w.services} services into ${args.table} ` +
        `(${written.skipped.length} already there, skipped; audit record ${written.auditId}).\n`,
    );
    for (const s of written.skipped) process.stdout.write(`skipped  ${s.kind} ${s.id}: ${s.reason}\n`);
  }
  if (args.report) await writeFile(args.report, `${JSON.stringify({ ...result, ...(written ? { write: written } : {}) }, null, 2)}\n`, 'utf8');
  return result.rejected.length > 0 ? 2 : 0;
}

runIfMain(import.meta.url, main);
