/**
 * The one DynamoDB table Harbor uses, described once. The CDK stateful stack and the local
 * server (via `createTableInput`) both build the table from this object, so the two cannot drift.
 * Which entity uses which index, and how, is listed in docs/data-model.md.
 */
export const HarborTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes (match records, youth details). */
  ttlAttribute: 'ttl',
  indexes: {
    /**
     * Placements and services by geohash cell (precision 3, sorted by full geohash); open
     * referrals by due time, by referrer and by youth. Other entities' partitions as data-model.md lists.
     */
    byCell: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Placements and services by state and county; all providers; audit by target; referrals by placement and by state. */
    byState: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Placements and services by owning provider; audit by actor; referrals by provider and all referrals. */
    byOwner: { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * What a match reads (shared/data/match-cards.ts): placements by geohash cell and services by
     * category and cell, projected to their compact match card and the live capacity only (the
     * counts' compact copies and the holds: `matchCapacityAttributes`). A
     * 300-mile match reads thousands of placements; the full items (descriptions, contacts,
     * keys of three other indexes) are most of their size and none of the ranking.
     */
    forMatching: { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projectedAttributes: ['matchCard', 'matchCount', 'matchConfirmedAt', 'holds'] },
    /**
     * Placements by state, ordered by when their count was last reported or confirmed
     * (shared/data/report-time-index.ts), so the stale-count list reads the counts old enough to
     * list rather than a whole state. Projected to what the list shows and checks.
     */
    byReportTime: {
      name: 'gsi5',
      partitionKey: 'gsi5pk',
      sortKey: 'gsi5sk',
      projectedAttributes: ['id', 'providerId', 'name', 'type', 'location', 'active', 'capacity', 'holds'],
    },
  },
} as const;

type IndexDefinition = { name: string; partitionKey: string; sortKey: string; projectedAttributes?: readonly string[] };

/** An index's projection: every attribute unless it names the few it carries. */
export function indexProjection(index: IndexDefinition): { ProjectionType: 'ALL' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] } {
  return index.projectedAttributes ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] } : { ProjectionType: 'ALL' };
}

/**
 * What a Query of `index` returns of a table item: the table's keys, the index's keys and the
 * attributes it projects. For tests and benchmarks that build index items without DynamoDB.
 */
export function indexedItem(index: IndexDefinition, item: Record<string, unknown>): Record<string, unknown> {
  if (!index.projectedAttributes) return item;
  const kept = [HarborTable.partitionKey, HarborTable.sortKey, index.partitionKey, index.sortKey, ...index.projectedAttributes];
  return Object.fromEntries(kept.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}

export type IndexName = (typeof HarborTable.indexes)[keyof typeof HarborTable.indexes]['name'];

/** The CreateTable request for DynamoDB Local and integration tests. */
export function createTableInput(tableName: string) {
  const indexes: IndexDefinition[] = Object.values(HarborTable.indexes);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: HarborTable.partitionKey, AttributeType: 'S' as const },
      { AttributeName: HarborTable.sortKey, AttributeType: 'S' as const },
      ...indexes.flatMap((i) => [
        { AttributeName: i.partitionKey, AttributeType: 'S' as const },
        { AttributeName: i.sortKey, AttributeType: 'S' as const },
      ]),
    ],
    KeySchema: [
      { AttributeName: HarborTable.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: HarborTable.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: indexProjection(i),
    })),
  };
}
