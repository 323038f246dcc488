import type { Headers, ProducerRecord } from '@tributary/core';
import type { StreamPartitioner } from '@tributary/dsl';
import type { ChangelogWriter } from '@tributary/state';

/**
 * Where a task's sinks (and, as a `ChangelogWriter`, its change-logging stores) hand serialized records.
 * `send` is synchronous and never awaits delivery; delivery is settled by `flush()` at commit.
 */
export interface RecordCollector extends ChangelogWriter {
  /**
   * Send one serialized record. Its partition is `record.partition` when set; otherwise `partitioner`
   * (given the unserialized `key`/`value` and the topic's partition count) when it returns a number;
   * otherwise Kafka's default: murmur2 of the key bytes, or the producer's choice for a null key.
   */
  send(record: ProducerRecord, partitioner?: StreamPartitioner, key?: unknown, value?: unknown): void;
  /** ChangelogWriter: a store's changelog record, to the task's own partition of the changelog topic. */
  send(
    topic: string,
    partition: number,
    key: Buffer,
    value: Buffer | null,
    timestamp: number,
    headers?: Headers,
  ): void;
  /**
   * Send a record to a dead-letter queue topic, whose partition count the runtime does not know: the
   * producer's partitioner picks the partition (murmur2 of the key bytes for a keyed record). Throws when the
   * producer refuses it at once; a failed delivery fails the next `flush()`.
   */
  sendDeadLetter(record: ProducerRecord): void;
  /** Number of partitions of `topic` (the real, prefixed name). */
  partitionsFor(topic: string): number;
  /** Hand everything sent so far to the producer and wait for it to be acknowledged. */
  flush(): void | Promise<void>;
  /** The offset of the last acknowledged record of `topic`/`partition`, when the producer reports offsets. */
  ackedOffset(topic: string, partition: number): number | undefined;
}
