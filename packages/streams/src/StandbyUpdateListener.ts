import type { TopicPartition } from '@tributary/core';

/**
 * Told about standby replicas (Kafka Streams' StandbyUpdateListener, KIP-988): when a store's standby copy
 * starts following its changelog partition, after every batch it applies, and when it stops — `promoted`
 * (its task became active here and reopened the store) or `migrated` (the standby moved to another instance).
 */
export interface StandbyUpdateListener {
  onUpdateStart?(partition: TopicPartition, storeName: string, startingOffset: number): void;
  onBatchLoaded?(
    partition: TopicPartition,
    storeName: string,
    batchEndOffset: number,
    batchSize: number,
  ): void;
  onUpdateSuspended?(partition: TopicPartition, storeName: string, reason: 'promoted' | 'migrated'): void;
}
