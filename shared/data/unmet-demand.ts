import type { UnmetDemandEntry } from '../domain/matching/unmet-demand';
import { queryAll } from './query-all';
import { tableName } from './client';
import { mapLimited } from './expressions';
import type { TransactItem } from './transact';

/**
 * Unmet-demand entries (de-identified, see shared/domain/matching/unmet-demand.ts): one partition
 * per month, sorted by state then day, so a report reads one partition per month (admin) or one
 * key range per month and state (coordinator). Entries are rare — a match with nowhere to go —
 * so a month's partition stays small.
 */
const unmetKeys = {
  // The day, not the match's time: an entry must not be matched to the match (or the audit of
  // it) by the minute it was made.
  item: (e: Pick<UnmetDemandEntry, 'month' | 'state' | 'date' | 'id'>) => ({ pk: `UNMET#${e.month}`, sk: `${e.state}#${e.date}#${e.id}` }),
  month: (month: string) => `UNMET#${month}`,
};

/** The Put of one entry; part of the match's transaction. */
export function unmetDemandPut(entry: UnmetDemandEntry): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...unmetKeys.item(entry), entity: 'unmet_demand', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function toEntry(item: Record<string, unknown>): UnmetDemandEntry {
  const { pk: _pk, sk: _sk, entity: _entity, ...entry } = item;
  return entry as unknown as UnmetDemandEntry;
}

/** Every entry of the given months, for all states or only `states`. */
export async function listUnmetDemand(months: readonly string[], states: readonly string[] | 'all'): Promise<UnmetDemandEntry[]> {
  const queries = months.flatMap((month) => (states === 'all' ? [{ month }] : states.map((state) => ({ month, state }))));
  const pages = await mapLimited(queries, 16, async (q) =>
    (
      await queryAll({
        TableName: tableName(),
        KeyConditionExpression: 'state' in q ? 'pk = :pk AND begins_with(sk, :state)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': unmetKeys.month(q.month), ...('state' in q ? { ':state': `${q.state}#` } : {}) },
      })
    ).map(toEntry),
  );
  return pages.flat();
}
