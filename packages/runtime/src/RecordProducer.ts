import type { ProducerRecord } from '@tributary/core';

/**
 * The producer port behind a `DefaultRecordCollector`: a real Kafka producer in the runtime, in-memory
 * topics in the test driver. `send` must not block; `partition` undefined (only for null keys) lets the
 * producer choose.
 */
export interface RecordProducer {
  /** `partition` overrides `record.partition` (the collector resolves it without copying the record). */
  send(record: ProducerRecord, partition: number | undefined): void;
  /** Number of partitions of `topic`; throws if the topic does not exist. */
  partitionsFor(topic: string): number;
  flush(): void | Promise<void>;
  /**
   * The offset of the last record of `topic`/`partition` acknowledged so far (after `flush()` resolved: every
   * record sent before it), or undefined when none was. Persistent stores checkpoint their changelog with it.
   */
  ackedOffset?(topic: string, partition: number): number | undefined;
}
