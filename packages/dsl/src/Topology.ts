import type { StateStore, StoreBuilder } from '@tributary/state';
import type { ProcessorSupplier } from './processor/Processor.js';
import type { SourceNode, TopologyNode } from './TopologyNode.js';

/** One connected part of a topology; the runtime runs one task per sub-topology and input partition. */
export interface Subtopology {
  readonly id: number;
  /** Nodes by name, in insertion (topological) order. */
  readonly nodes: ReadonlyMap<string, TopologyNode>;
  /** Topics read by this sub-topology's sources (internal ones unprefixed). */
  readonly sourceTopics: readonly string[];
  /** Names of the stores owned by this sub-topology's tasks. */
  readonly storeNames: readonly string[];
}

/** A topic the application creates and owns. Its real name is `<application.id>-<name>`. */
export interface InternalTopic {
  /** Unprefixed name, ending in `-repartition` or `-changelog`. */
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  /** Fixed partition count, or undefined to derive it from the co-partitioning group at start-up. */
  readonly numberOfPartitions: number | undefined;
  readonly config: Readonly<Record<string, string>>;
}

/** A store filled from a whole topic on every instance (GlobalKTable), updated by its own processor. */
export interface GlobalStore {
  readonly storeBuilder: StoreBuilder<StateStore>;
  readonly source: SourceNode;
  readonly processorName: string;
  readonly processorSupplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
}

export interface TopologyParts {
  readonly subtopologies: readonly Subtopology[];
  readonly storeBuilders: ReadonlyMap<string, StoreBuilder<StateStore>>;
  readonly globalStores: readonly GlobalStore[];
  readonly internalTopics: ReadonlyMap<string, InternalTopic>;
  /** Groups of topics that must have equal partition counts (join inputs, stores' changelogs and their sources). */
  readonly copartitionGroups: readonly (readonly string[])[];
}

/**
 * The immutable result of `StreamsBuilder.build()` (or of the low-level Topology API): what the runtime and
 * the test driver execute. It never changes after construction.
 */
export class Topology implements TopologyParts {
  readonly subtopologies: readonly Subtopology[];
  readonly storeBuilders: ReadonlyMap<string, StoreBuilder<StateStore>>;
  readonly globalStores: readonly GlobalStore[];
  readonly internalTopics: ReadonlyMap<string, InternalTopic>;
  readonly copartitionGroups: readonly (readonly string[])[];

  constructor(parts: TopologyParts) {
    this.subtopologies = Object.freeze([...parts.subtopologies]);
    this.storeBuilders = new Map(parts.storeBuilders);
    this.globalStores = Object.freeze([...parts.globalStores]);
    this.internalTopics = new Map(parts.internalTopics);
    this.copartitionGroups = Object.freeze(parts.copartitionGroups.map((g) => Object.freeze([...g])));
  }

  /** The real Kafka topic name of `topic` for this application: internal topics get the `<applicationId>-` prefix. */
  resolveTopic(applicationId: string, topic: string): string {
    return this.internalTopics.has(topic) ? `${applicationId}-${topic}` : topic;
  }

  /** The sub-topology whose sources read `topic` (unprefixed), if any. */
  subtopologyForTopic(topic: string): Subtopology | undefined {
    return this.subtopologies.find((s) => s.sourceTopics.includes(topic));
  }
}
