import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../auth/roles';
import type { MatchResultView } from '../domain/matching/redact';
import type { RankOptions, RankOutcome } from '../domain/matching/rank-placements';
import type { YouthProfile } from '../domain/matching/youth';
import { documentClient, tableName } from './client';
import { HarborTable } from './table';
import type { TransactItem } from './transact';

/**
 * Match records: the inputs and results of one `POST /matches`, kept under its matchId so a
 * referral can snapshot the explanation it came from. The record holds the youth's location and
 * keep-away areas, so it carries a TTL (the policy's matchRetentionHours) and reads treat it as
 * gone once that passes, even before DynamoDB's TTL sweep deletes it.
 */
const matchKeys = {
  item: (matchId: string) => ({ pk: `MATCH#${matchId}`, sk: 'MATCH' }),
};

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

/** The Put of a new match record, with its TTL; part of the match's transaction. */
export function matchRecordPut(record: MatchRecord): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...matchKeys.item(record.matchId),
        entity: 'match',
        [HarborTable.ttlAttribute]: Math.floor(Date.parse(record.expiresAt) / 1000),
        ...record,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * The match record, or undefined if there is none or its retention has passed. Referrals call this
 * to snapshot a match; what they show provider staff must go through `youthForProvider`
 * (shared/domain/matching/redact.ts).
 */
export async function getMatchRecord(matchId: string, now: Date = new Date()): Promise<MatchRecord | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: matchKeys.item(matchId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, entity: _entity, [HarborTable.ttlAttribute]: _ttl, ...record } = out.Item;
  const match = record as MatchRecord;
  return match.expiresAt > now.toISOString() ? match : undefined;
}
