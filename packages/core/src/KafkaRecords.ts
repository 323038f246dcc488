import type { Headers } from './Headers.js';

/** A serialized record as read from a Kafka partition (or an in-memory topic in the test driver). */
export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** A serialized record to be written; `partition` undefined lets the producer's partitioner choose. */
export interface ProducerRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}
