import type { TopicPartition } from '@tributary/core';

/**
 * Told about changelog restoration, as Kafka Streams' StateRestoreListener: when a store starts restoring a
 * changelog partition (from its checkpoint, or the beginning), after every batch, and at the end. Set with
 * `KafkaStreams.setGlobalStateRestoreListener`. Called on the instance's event loop (also for stream threads
 * that run as processes); keep it quick.
 */
export interface StateRestoreListener {
  onRestoreStart?(
    partition: TopicPartition,
    storeName: string,
    startingOffset: number,
    endingOffset: number,
  ): void;
  onBatchRestored?(
    partition: TopicPartition,
    storeName: string,
    batchEndOffset: number,
    numRestored: number,
  ): void;
  onRestoreEnd?(partition: TopicPartition, storeName: string, totalRestored: number): void;
}
