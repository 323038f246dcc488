import type { ConsumerRecord, TopicPartition } from '@tributary/core';
import type { RebalanceListener } from './KafkaConsumer.js';
import type { TopicPartitionOffset } from './KafkaProducer.js';

/**
 * What a stream thread, the changelog restorer and the global thread use of a consumer: the port that
 * `KafkaConsumer` implements over librdkafka and that unit tests implement in memory. Failures are
 * `KafkaClientError`s whose `info` says how to recover.
 */
export interface ConsumerClient {
  subscribe(topics: readonly string[]): void;
  assign(partitions: readonly TopicPartitionOffset[] | readonly TopicPartition[]): void;
  /** Up to `maxRecords` records, waiting at most `timeoutMs` for the first. */
  poll(maxRecords: number, timeoutMs?: number): Promise<ConsumerRecord[]>;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Committed offsets of the given partitions (offset < 0: none committed). */
  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]>;
  seek(position: TopicPartitionOffset): Promise<void>;
  position(partitions: readonly TopicPartition[]): TopicPartitionOffset[];
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  watermarks(topic: string, partition: number): Promise<{ low: number; high: number }>;
  close(): Promise<void>;
}

/** Options of a group consumer: told of every assignment change before it applies. */
export interface ConsumerClientOptions {
  readonly onRebalance?: RebalanceListener;
}
