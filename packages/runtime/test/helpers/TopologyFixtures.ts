import { type ProducerRecord, type Serde, Serdes } from '@tributary/core';
import {
  type InternalTopic,
  type Processor,
  type ProcessorNode,
  type SinkNode,
  type SourceNode,
  type StreamPartitioner,
  type TimestampExtractor,
  type TopicNameExtractor,
  Topology,
  type TopologyNode,
} from '@tributary/dsl';
import type { StateStore, StoreBuilder } from '@tributary/state';
import type { RecordProducer } from '../../src/index.js';

export const str: Serde<unknown> = Serdes.String() as Serde<unknown>;

export function source(
  name: string,
  topics: string[],
  successors: string[],
  options: {
    timestampExtractor?: TimestampExtractor;
    pattern?: RegExp;
    keySerde?: Serde<unknown>;
    valueSerde?: Serde<unknown>;
  } = {},
): SourceNode {
  return {
    kind: 'source',
    name,
    topics,
    pattern: options.pattern,
    keySerde: options.keySerde ?? str,
    valueSerde: options.valueSerde ?? str,
    timestampExtractor: options.timestampExtractor,
    successors,
  };
}

export function processor(
  name: string,
  supplier: () => Processor<unknown, unknown, unknown, unknown>,
  successors: string[] = [],
  stores: string[] = [],
): ProcessorNode {
  return { kind: 'processor', name, supplier, stores, successors };
}

export function sink(
  name: string,
  topic: string | TopicNameExtractor,
  options: { partitioner?: StreamPartitioner; keySerde?: Serde<unknown>; valueSerde?: Serde<unknown> } = {},
): SinkNode {
  return {
    kind: 'sink',
    name,
    topic,
    keySerde: options.keySerde ?? str,
    valueSerde: options.valueSerde ?? str,
    partitioner: options.partitioner,
  };
}

export interface SubtopologySpec {
  id: number;
  nodes: TopologyNode[];
  storeNames?: string[];
}

export function topologyOf(
  subtopologies: SubtopologySpec[],
  extra: {
    storeBuilders?: StoreBuilder<StateStore>[];
    internalTopics?: InternalTopic[];
    globalStores?: Topology['globalStores'];
    copartitionGroups?: string[][];
  } = {},
): Topology {
  return new Topology({
    subtopologies: subtopologies.map((s) => ({
      id: s.id,
      nodes: new Map(s.nodes.map((n) => [n.name, n])),
      sourceTopics: s.nodes.flatMap((n) => (n.kind === 'source' ? [...n.topics] : [])),
      storeNames: s.storeNames ?? [],
    })),
    storeBuilders: new Map((extra.storeBuilders ?? []).map((b) => [b.name, b])),
    globalStores: extra.globalStores ?? [],
    internalTopics: new Map((extra.internalTopics ?? []).map((t) => [t.name, t])),
    copartitionGroups: extra.copartitionGroups ?? [],
  });
}

export function repartitionTopic(name: string, numberOfPartitions?: number): InternalTopic {
  return { name, kind: 'repartition', numberOfPartitions, config: {} };
}

/** A RecordProducer that keeps what it is sent. */
export class CapturingProducer implements RecordProducer {
  readonly records: ProducerRecord[] = [];
  flushes = 0;

  constructor(private readonly partitions: Record<string, number> = {}) {}

  send(record: ProducerRecord, partition: number | undefined): void {
    this.records.push(partition === record.partition ? record : { ...record, partition });
  }

  partitionsFor(topic: string): number {
    return this.partitions[topic] ?? 1;
  }

  flush(): void {
    this.flushes++;
  }

  /** Offsets as a topic would assign them: the records sent to `topic`/`partition` so far, minus one. */
  ackedOffset(topic: string, partition: number): number | undefined {
    let count = 0;
    for (const r of this.records) if (r.topic === topic && r.partition === partition) count++;
    return count === 0 ? undefined : count - 1;
  }

  /** Records as plain text tuples: [topic, partition, key, value, timestamp]. */
  texts(): [string, number | undefined, string | null, string | null, number][] {
    return this.records.map((r) => [
      r.topic,
      r.partition,
      r.key === null ? null : r.key.toString(),
      r.value === null ? null : r.value.toString(),
      r.timestamp,
    ]);
  }
}
