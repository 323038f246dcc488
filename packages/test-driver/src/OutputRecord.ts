import type { Headers } from '@tributary/core';

/** A record read from an output topic: deserialized, with the partition and offset it was written to. */
export interface OutputRecord<K, V> {
  readonly topic: string;
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly partition: number;
  readonly offset: number;
}
