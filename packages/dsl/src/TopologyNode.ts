import type { Serde } from '@tributary/core';
import type { ProcessorSupplier } from './processor/Processor.js';

/** Picks a record's timestamp at the source; `partitionTime` is the highest timestamp seen on that partition. */
export type TimestampExtractor = (
  record: {
    readonly key: unknown;
    readonly value: unknown;
    readonly timestamp: number;
    readonly topic: string;
  },
  partitionTime: number,
) => number;

/** Chooses a sink's topic per record. */
export type TopicNameExtractor<K = unknown, V = unknown> = (
  key: K,
  value: V,
  context: { readonly topic: string | undefined; readonly partition: number | undefined },
) => string;

/** Chooses a partition for an outgoing record; undefined falls back to the default (murmur2 of the key bytes). */
export type StreamPartitioner<K = unknown, V = unknown> = (
  topic: string,
  key: K,
  value: V,
  numPartitions: number,
) => number | undefined;

/** Reads records from topics (or a pattern) and deserializes them. */
export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  /** Topic names as written by the user; internal topics are unprefixed here (see InternalTopic). */
  readonly topics: readonly string[];
  readonly pattern: RegExp | undefined;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly successors: readonly string[];
}

/** Runs a Processor API processor built fresh per task by `supplier`. */
export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  /** Names of the stores this processor may call `getStateStore` on. */
  readonly stores: readonly string[];
  readonly successors: readonly string[];
}

/** Serializes records and writes them to a topic (fixed or chosen per record). */
export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string | TopicNameExtractor;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly partitioner: StreamPartitioner | undefined;
}

export type TopologyNode = SourceNode | ProcessorNode | SinkNode;
