import type { Serde } from '@tributary/core';
import type { ProcessorSupplier } from '../processor/Processor.js';
import type { StreamPartitioner, TimestampExtractor, TopicNameExtractor } from '../TopologyNode.js';

/** Where a missing serde should be supplied; completes "... has no key serde ...: <fix>". */
export interface SerdeFix {
  readonly key: string;
  readonly value: string;
}

interface GraphNodeBase {
  readonly name: string;
  readonly parents: GraphNode[];
  readonly children: GraphNode[];
}

export interface SourceGraphNode extends GraphNodeBase {
  readonly kind: 'source';
  readonly topics: readonly string[];
  readonly pattern: RegExp | undefined;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly fix: SerdeFix;
  /** A GlobalKTable source: not part of any sub-topology. */
  readonly global: boolean;
}

export interface ProcessorGraphNode extends GraphNodeBase {
  readonly kind: 'processor';
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  readonly stores: string[];
  /**
   * True when the processor reads only the `newValue` of the `Change`s it receives (`toStream()`), so a table
   * operation whose children all say so need not send old values (Kafka Streams' sendOldValues, which stays
   * off unless a downstream operation enables it). Absent = the processor may read old values.
   */
  readonly ignoresOldValues?: boolean;
  /**
   * True for table processors that read old values only to forward them (KTable filter / mapValues): they need
   * old values exactly when one of their own children does (Kafka's enableSendingOldValues going upstream).
   */
  readonly oldValuesOnlyForChildren?: boolean;
}

export interface SinkGraphNode extends GraphNodeBase {
  readonly kind: 'sink';
  readonly topic: string | TopicNameExtractor;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly partitioner: StreamPartitioner | undefined;
  readonly fix: SerdeFix;
}

/** A node of the logical graph the DSL builds; `build()` compiles these into TopologyNodes. */
export type GraphNode = SourceGraphNode | ProcessorGraphNode | SinkGraphNode;
