import type { Headers } from '@tributary/core';

/**
 * A record as piped into an input topic or read from an output topic. When piping, `timestamp` defaults to
 * the input topic's current time and `partition` to the producer's choice (the driver's partitioner, by
 * default murmur2 of the key bytes). When reading, every field is set.
 */
export interface TestRecord<K, V> {
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp?: number;
  readonly headers?: Headers;
  readonly partition?: number;
}
