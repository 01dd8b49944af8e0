/**
 * Gives every placement and service item its match card and matching-index keys (gsi4; see
 * shared/data/match-cards.ts), every placement its capacity in the current layout (the holds in
 * their own attribute, the counts' copies the index projects, and its keys in the report-time
 * index, gsi5; shared/data/placements.ts), every
 * service its telehealth listings (and no others; see
 * shared/data/telehealth-listings.ts), and inactive providers their place in the matching index,
 * where they are missing or out of date: for tables written before the matching index or the
 * listings existed, or after MATCH_CARD_VERSION changes.
 *
 * `npm start` runs it on every start (a no-op once done). On AWS, after the deploy that adds
 * gsi4: `npx tsx scripts/backfill-match-cards.ts --aws --table <name>`. It is a Scan — a one-off
 * maintenance pass, not a request path — and each write is conditional on the profile version it
 * read (a capacity repair: on the capacity version and confirmation it read; a service's
 * listings: on the service version it read), so an item changed meanwhile (whose own write
 * carried a fresh card, count or listings) is left alone. Until a placement's
 * capacity is in the current layout, hold and count writes to it fail (they find no
 * `holds`), so run it right after the deploy that changes the layout.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { MATCH_INDEX_ATTRIBUTES, placementMatchAttributes, serviceMatchAttributes } from '../shared/data/match-cards';
import { mapLimited } from '../shared/data/expressions';
import { capacityLayoutRepair, placementFromItem } from '../shared/data/placements';
import { inactiveProviderKeys } from '../shared/data/providers';
import { serviceFromItem, serviceItemKeyOfListing } from '../shared/data/services';
import type { TransactItem } from '../shared/data/transact';
import { TELEHEALTH_LISTING_ENTITY, telehealthListingItems, telehealthListingSignature } from '../shared/data/telehealth-listings';
import { documentClientFor, readTableTarget, TABLE_TARGET_OPTIONS } from './table-target';
import { runIfMain } from './cli';

const USAGE = 'Usage: tsx scripts/backfill-match-cards.ts (--endpoint <url> | --aws) [--table harbor-local] [--region us-east-1]';

export interface BackfillResult {
  scanned: number;
  updated: number;
  /** Changed by someone else between our read and write (their write carried a card). */
  skipped: number;
}

/** What the item should carry for the matching index (an active provider: nothing); the pass sets these and removes the rest. */
function matchAttributesOf(item: Record<string, unknown>): Partial<Record<(typeof MATCH_INDEX_ATTRIBUTES)[number], string>> {
  if (item.entity === 'placement') return placementMatchAttributes(placementFromItem(item));
  if (item.entity === 'service') return serviceMatchAttributes(serviceFromItem(item));
  return inactiveProviderKeys({ id: item.id as string, active: item.active as boolean | undefined ?? true });
}

const listingKey = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;

export async function backfillMatchCards(doc: DynamoDBDocumentClient, tableName: string): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0, skipped: 0 };
  // Listings are compared once the whole table has been read: a service and its listings may come
  // in any order. Held in memory: one entry per listing (a few hundred bytes each).
  const wantedListings = new Map<string, Record<string, unknown>>();
  const storedListings = new Map<string, { signature: string; key: { pk: unknown; sk: unknown } }>();
  const serviceVersions = new Map<string, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#entity IN (:placement, :service, :provider, :listing)',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':placement': 'placement', ':service': 'service', ':provider': 'provider', ':listing': TELEHEALTH_LISTING_ENTITY },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    await mapLimited(page.Items ?? [], 8, async (item) => {
      if (item.entity === TELEHEALTH_LISTING_ENTITY) {
        storedListings.set(listingKey(item), { signature: telehealthListingSignature(item), key: { pk: item.pk, sk: item.sk } });
        return;
      }
      result.scanned++;
      if (item.entity === 'service') {
        const service = serviceFromItem(item);
        serviceVersions.set(service.id, service.version);
        for (const listing of telehealthListingItems(service)) wantedListings.set(listingKey(listing), listing);
      }
      const repair = item.entity === 'placement' ? capacityLayoutRepair(item) : undefined;
      if (repair) await conditionalUpdate(doc, { TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ...repair }, result);
      const wanted = matchAttributesOf(item);
      if (MATCH_INDEX_ATTRIBUTES.every((name) => item[name] === wanted[name])) return;
      const set = MATCH_INDEX_ATTRIBUTES.filter((name) => wanted[name] !== undefined);
      const remove = MATCH_INDEX_ATTRIBUTES.filter((name) => wanted[name] === undefined);
      await conditionalUpdate(
        doc,
        {
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: [set.length > 0 ? `SET ${set.map((n) => `${n} = :${n}`).join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].join(' ').trim(),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ...Object.fromEntries(set.map((n) => [`:${n}`, wanted[n]])), ':version': item.version },
        },
        result,
      );
    });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await syncListings(doc, tableName, wantedListings, storedListings, serviceVersions, result);
  return result;
}

/** One repair: counted as updated, or as skipped when the item changed since it was read. */
async function conditionalUpdate(doc: DynamoDBDocumentClient, input: UpdateCommandInput, result: BackfillResult): Promise<void> {
  try {
    await doc.send(new UpdateCommand(input));
    result.updated++;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    result.skipped++;
  }
}

/**
 * Puts the listings that are missing or differ and deletes those no service should have, each
 * service's in one transaction with a check that the service is still as it was read: at the
 * version read, or for listings of a service the Scan did not find, still absent. A profile
 * update meanwhile writes its own listings; without the check the pass could put back a listing
 * for a state the service has just stopped serving, or delete one of a service created while it
 * ran, and nothing would put that right. At most 57 listings a service (one per state code) and
 * the check fit in one transaction.
 */
async function syncListings(
  doc: DynamoDBDocumentClient,
  tableName: string,
  wanted: ReadonlyMap<string, Record<string, unknown>>,
  stored: ReadonlyMap<string, { signature: string; key: { pk: unknown; sk: unknown } }>,
  serviceVersions: ReadonlyMap<string, number>,
  result: BackfillResult,
): Promise<void> {
  // Listings sit in their service's partition: grouped by it.
  const byService = new Map<string, TransactItem[]>();
  const add = (partition: unknown, write: TransactItem) => {
    const pk = String(partition);
    const writes = byService.get(pk);
    if (writes) writes.push(write);
    else byService.set(pk, [write]);
  };
  for (const [key, listing] of wanted) {
    if (stored.get(key)?.signature !== telehealthListingSignature(listing)) add(listing.pk, { Put: { TableName: tableName, Item: listing } });
  }
  for (const [key, { key: listingKey }] of stored) {
    if (!wanted.has(key)) add(listingKey.pk, { Delete: { TableName: tableName, Key: listingKey } });
  }
  await mapLimited([...byService], 8, async ([pk, writes]) => {
    const version = serviceVersions.get(pk.replace(/^SERVICE#/, ''));
    const serviceAsRead: TransactItem = {
      ConditionCheck: {
        TableName: tableName,
        Key: serviceItemKeyOfListing({ pk }),
        ...(version === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } }),
      },
    };
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: [serviceAsRead, ...writes] }));
      result.updated += writes.length;
    } catch (error) {
      // Changed meanwhile (its own write carried its listings), or being changed right now.
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw error;
      result.skipped += writes.length;
    }
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: TABLE_TARGET_OPTIONS, strict: true });
  const target = readTableTarget(values, USAGE);
  const doc = documentClientFor(target);
  try {
    const r = await backfillMatchCards(doc, target.table);
    process.stdout.write(`${target.table}: ${r.scanned} placements, services and providers read, ${r.updated} items brought up to date, ${r.skipped} changed meanwhile and left alone\n`);
  } finally {
    doc.destroy();
  }
}

runIfMain(import.meta.url, main);
