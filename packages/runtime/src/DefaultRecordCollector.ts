import { Headers, type ProducerRecord, StreamsError } from '@tributary/core';
import type { StreamPartitioner } from '@tributary/dsl';
import { defaultPartition } from './defaultPartition.js';
import type { RecordCollector } from './RecordCollector.js';
import type { RecordProducer } from './RecordProducer.js';

const NO_HEADERS = new Headers();

/**
 * The RecordCollector of a task (or of a stream thread's tasks): resolves partitions (sink partitioner,
 * else murmur2 of the key bytes) and passes records to a `RecordProducer`. Also the changelog writer of the
 * task's stores.
 */
export class DefaultRecordCollector implements RecordCollector {
  private readonly partitionCounts = new Map<string, number>();

  /** `options.partitioner`, or undefined for the default (murmur2), called directly. */
  private readonly keyPartitioner:
    | ((topic: string, keyBytes: Buffer, numPartitions: number) => number)
    | undefined;
  /** The last topic asked for and its partition count (a map lookup per record saved). */
  private lastTopic: string | undefined = undefined;
  private lastCount = 0;

  /**
   * `options.partitioner` replaces the default partitioner (murmur2 of the key bytes) for keyed records whose
   * sink has no StreamPartitioner, like the producer's `partitioner.class`.
   */
  constructor(
    private readonly producer: RecordProducer,
    options: { partitioner?: (topic: string, keyBytes: Buffer, numPartitions: number) => number } = {},
  ) {
    this.keyPartitioner = options.partitioner;
  }

  send(record: ProducerRecord, partitioner?: StreamPartitioner, key?: unknown, value?: unknown): void;
  send(
    topic: string,
    partition: number,
    key: Buffer,
    value: Buffer | null,
    timestamp: number,
    headers?: Headers,
  ): void;
  send(
    recordOrTopic: ProducerRecord | string,
    partitionerOrPartition?: StreamPartitioner | number,
    key?: unknown,
    value?: unknown,
    timestamp?: number,
    headers?: Headers,
  ): void {
    if (typeof recordOrTopic === 'string') {
      const partition = partitionerOrPartition as number;
      this.producer.send(
        {
          topic: recordOrTopic,
          partition,
          key: key as Buffer,
          value: value as Buffer | null,
          timestamp: timestamp as number,
          headers: headers ?? NO_HEADERS,
        },
        partition,
      );
    } else {
      this.sendRecord(recordOrTopic, partitionerOrPartition as StreamPartitioner | undefined, key, value);
    }
  }

  private sendRecord(
    record: ProducerRecord,
    partitioner: StreamPartitioner | undefined,
    key: unknown,
    value: unknown,
  ): void {
    if (record.partition !== undefined) {
      this.producer.send(record, record.partition);
      return;
    }
    let partition: number | undefined;
    if (partitioner !== undefined) {
      const numPartitions = this.partitionsFor(record.topic);
      partition = partitioner(record.topic, key, value, numPartitions);
      if (
        partition !== undefined &&
        (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions)
      ) {
        throw new StreamsError(
          `The stream partitioner for topic '${record.topic}' returned partition ${partition}, but the topic has ` +
            `${numPartitions} partitions; return a number in [0, ${numPartitions - 1}] or undefined for the default`,
        );
      }
    }
    if (partition === undefined && record.key !== null) {
      const numPartitions = this.partitionsFor(record.topic);
      const keyPartitioner = this.keyPartitioner;
      partition =
        keyPartitioner === undefined
          ? defaultPartition(record.key, numPartitions)
          : keyPartitioner(record.topic, record.key, numPartitions);
    }
    this.producer.send(record, partition);
  }

  sendDeadLetter(record: ProducerRecord): void {
    this.producer.send(record, undefined);
  }

  ackedOffset(topic: string, partition: number): number | undefined {
    return this.producer.ackedOffset?.(topic, partition);
  }

  partitionsFor(topic: string): number {
    if (topic === this.lastTopic) return this.lastCount;
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      count = this.producer.partitionsFor(topic);
      this.partitionCounts.set(topic, count);
    }
    this.lastTopic = topic;
    this.lastCount = count;
    return count;
  }

  flush(): void | Promise<void> {
    return this.producer.flush();
  }
}
