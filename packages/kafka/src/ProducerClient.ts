import type { ProducerRecord } from '@tributary/core';
import type { ConsumerClient } from './ConsumerClient.js';
import type { TopicPartitionOffset } from './KafkaProducer.js';

/**
 * What a stream thread uses of a producer (transactional under exactly-once): the port that `KafkaProducer`
 * implements over librdkafka and that unit tests implement in memory. `send` only enqueues; `flush` confirms
 * every send or rejects with the first delivery error.
 */
export interface ProducerClient {
  send(record: ProducerRecord, partition?: number): void;
  flush(): Promise<void>;
  /** The offset of the last acknowledged record of a partition, or undefined. */
  ackedOffset(topic: string, partition: number): number | undefined;
  initTransactions(): Promise<void>;
  beginTransaction(): Promise<void>;
  /** Adds the group consumer's offsets (and its group metadata, which fences zombies) to the transaction. */
  sendOffsetsToTransaction(offsets: readonly TopicPartitionOffset[], consumer: ConsumerClient): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  close(): Promise<void>;
}
