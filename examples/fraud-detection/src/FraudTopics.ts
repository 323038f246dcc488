import { KafkaAdmin } from '@tributary/kafka';

/** The topics the application reads and writes. */
export interface FraudTopics {
  readonly transactions: string;
  readonly merchants: string;
  readonly blockedCards: string;
  readonly alerts: string;
  /** The dead-letter queue: records of `transactions` the application could not read. */
  readonly deadLetters: string;
}

/** The topic names, optionally with a prefix (several runs, or tenants, on one cluster). */
export function fraudTopics(prefix = ''): FraudTopics {
  return {
    transactions: `${prefix}transactions`,
    merchants: `${prefix}merchants`,
    blockedCards: `${prefix}blocked-cards`,
    alerts: `${prefix}fraud-alerts`,
    deadLetters: `${prefix}transactions-dlq`,
  };
}

/**
 * Creates the application's topics if they are missing. `transactions` and `blocked-cards` must have the same
 * partition count (the blocked-card join is co-partitioned), and their producers must use Kafka's murmur2
 * partitioner so a card lands in the same partition of both.
 */
export async function createFraudTopics(servers: string, topics: FraudTopics, partitions = 4): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    await admin.createTopics([
      { name: topics.transactions, partitions },
      { name: topics.blockedCards, partitions, config: { 'cleanup.policy': 'compact' } },
      { name: topics.merchants, partitions: 1, config: { 'cleanup.policy': 'compact' } },
      { name: topics.alerts, partitions },
      { name: topics.deadLetters, partitions: 1 },
    ]);
  } finally {
    admin.close();
  }
}
