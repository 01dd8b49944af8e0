import type { Role } from '../auth/roles';
import type { MatchResultView } from '../domain/matching/redact';
import type { RankOptions, RankOutcome } from '../domain/matching/rank-placements';
import type { YouthProfile } from '../domain/matching/youth';
import { tableName } from './client';
import { queryAll } from './query-all';
import { HarborTable } from './table';
import type { TransactItem } from './transact';

/**
 * Match records: the inputs and results of one `POST /matches`, kept under its matchId so a
 * referral can snapshot the explanation it came from. The record holds the youth's location and
 * keep-away areas, so it carries a TTL (the policy's matchRetentionHours) and reads treat it as
 * gone once that passes, even before DynamoDB's TTL sweep deletes it.
 *
 * One partition per match: the record itself, then its results in parts. A hundred results, each
 * explained against every need with a service named for each gap, can reach several hundred KB
 * (more with the longest names the directory allows), past the 400 KB a DynamoDB item may hold;
 * so the results are split into items of at most RESULT_PART_BYTES, written in the same
 * transaction as the record, each with the record's TTL.
 */
const matchKeys = {
  partition: (matchId: string) => `MATCH#${matchId}`,
  record: (matchId: string) => ({ pk: matchKeys.partition(matchId), sk: 'MATCH' }),
  resultsPart: (matchId: string, part: number) => ({ pk: matchKeys.partition(matchId), sk: `RESULTS#${String(part).padStart(3, '0')}` }),
};

/**
 * The most a part's results may take as JSON. JSON is longer than DynamoDB's own measure of the
 * same values (quotes, colons, field names written out), so a part is well inside 400 KB.
 */
export const RESULT_PART_BYTES = 256 * 1024;

export interface MatchRecord {
  matchId: string;
  createdAt: string;
  /** After this the record is treated as gone (and DynamoDB deletes it). */
  expiresAt: string;
  policyVersion: number;
  createdBy: string;
  createdByRole: Role;
  /** The caller's agency (caseworkers). */
  agencyId?: string;
  /** The caller's jurisdiction (coordinators). */
  jurisdiction: string[];
  inputs: { youth: YouthProfile; options: RankOptions };
  /** The youth's custody state, as resolved for the out-of-state rule. */
  youthState: string;
  /** Results as a caseworker may read them (no confidential address), best first. */
  results: MatchResultView[];
  counts: RankOutcome['counts'];
}

/** Results in order, cut into runs of at most RESULT_PART_BYTES as JSON (at least one result a run). */
export function resultParts(results: readonly MatchResultView[]): MatchResultView[][] {
  const parts: MatchResultView[][] = [];
  let bytes = 0;
  for (const result of results) {
    const size = Buffer.byteLength(JSON.stringify(result));
    const current = parts[parts.length - 1];
    if (current && bytes + size <= RESULT_PART_BYTES) {
      current.push(result);
      bytes += size;
    } else {
      parts.push([result]);
      bytes = size;
    }
  }
  return parts;
}

/** The Puts of a new match record and its results' parts, with its TTL; part of the match's transaction. */
export function matchRecordPuts(record: MatchRecord): TransactItem[] {
  const { results, ...head } = record;
  const parts = resultParts(results);
  const ttl = { [HarborTable.ttlAttribute]: Math.floor(Date.parse(record.expiresAt) / 1000) };
  const put = (item: Record<string, unknown>): TransactItem => ({
    Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  return [
    put({ ...matchKeys.record(record.matchId), entity: 'match', ...ttl, ...head, resultParts: parts.length }),
    ...parts.map((part, n) => put({ ...matchKeys.resultsPart(record.matchId, n), entity: 'match_results', ...ttl, results: part })),
  ];
}

/**
 * The match record, or undefined if there is none or its retention has passed. Referrals call this
 * to snapshot a match; what they show provider staff must go through `youthForProvider`
 * (shared/domain/matching/redact.ts).
 */
export async function getMatchRecord(matchId: string, now: Date = new Date()): Promise<MatchRecord | undefined> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': matchKeys.partition(matchId) },
    ConsistentRead: true,
  });
  const head = items.find((i) => i.sk === 'MATCH');
  if (!head) return undefined;
  const { pk: _pk, sk: _sk, entity: _entity, [HarborTable.ttlAttribute]: _ttl, resultParts: partCount, ...record } = head;
  if ((record.expiresAt as string) <= now.toISOString()) return undefined;
  // Parts sort after the record and in their order ('RESULTS#000', 'RESULTS#001', …).
  const parts = items.filter((i) => (i.sk as string).startsWith('RESULTS#'));
  // Written in one transaction, so all are there until the TTL, which the check above got to first.
  if (parts.length !== partCount) throw new Error(`Match ${matchId} has ${parts.length} of its ${String(partCount)} result parts`);
  return { ...record, results: parts.flatMap((p) => p.results as MatchResultView[]) } as MatchRecord;
}
