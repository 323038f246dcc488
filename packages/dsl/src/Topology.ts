import type { StateStore, StoreBuilder } from '@tributary/state';
import type { ProcessorSupplier } from './processor/Processor.js';
import {
  type GlobalStoreDescription,
  type NodeDescription,
  type ProcessorDescription,
  type SinkDescription,
  type SourceDescription,
  TopologyDescription,
} from './TopologyDescription.js';
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
  /** Number shown by `describe()`; global stores share the numbering with sub-topologies, as in Kafka Streams. */
  readonly id?: number;
  readonly storeBuilder: StoreBuilder<StateStore>;
  readonly source: SourceNode;
  readonly processorName: string;
  readonly processorSupplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
}

/**
 * The changelog topic of store `store`, unprefixed (the real name is `<application.id>-<store>-changelog`).
 * The one place this naming rule is written; everything else asks `Topology.changelogTopic`.
 */
export function changelogTopicName(store: string): string {
  return `${store}-changelog`;
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
  /** Logged store → its changelog topic (unprefixed). */
  private readonly changelogs = new Map<string, string>();

  /**
   * Every logged store's changelog is an internal topic, declared or not: a hand-built topology that omits it
   * from `internalTopics` gets it here (with the store's topic configs), so it is created, written and restored
   * like the DSL's.
   */
  constructor(parts: TopologyParts) {
    this.subtopologies = Object.freeze([...parts.subtopologies]);
    this.storeBuilders = new Map(parts.storeBuilders);
    this.globalStores = Object.freeze([...parts.globalStores]);
    const internalTopics = new Map(parts.internalTopics);
    for (const [store, builder] of this.storeBuilders) {
      if (!builder.logConfig.enabled) continue;
      const name = changelogTopicName(store);
      this.changelogs.set(store, name);
      if (!internalTopics.has(name)) {
        internalTopics.set(name, {
          name,
          kind: 'changelog',
          numberOfPartitions: undefined,
          config: { ...builder.logConfig.topicConfig },
        });
      }
    }
    this.internalTopics = internalTopics;
    this.copartitionGroups = Object.freeze(parts.copartitionGroups.map((g) => Object.freeze([...g])));
  }

  /** The changelog topic (unprefixed) of store `store`, or undefined when the store is not logged (or unknown). */
  changelogTopic(store: string): string | undefined {
    return this.changelogs.get(store);
  }

  /** The real Kafka topic name of `topic` for this application: internal topics get the `<applicationId>-` prefix. */
  resolveTopic(applicationId: string, topic: string): string {
    return this.internalTopics.has(topic) ? `${applicationId}-${topic}` : topic;
  }

  /** The sub-topology whose sources read `topic` (unprefixed), if any. */
  subtopologyForTopic(topic: string): Subtopology | undefined {
    return this.subtopologies.find((s) => s.sourceTopics.includes(topic));
  }

  /** The topology's shape; `toString()` prints it in Kafka Streams' text form. */
  describe(): TopologyDescription {
    const subtopologies = this.subtopologies.map((sub) => ({ id: sub.id, nodes: describeNodes(sub.nodes) }));
    const usedIds = new Set(this.subtopologies.map((s) => s.id));
    let spare = 0;
    const globalStores = this.globalStores.map((g): GlobalStoreDescription => {
      let id = g.id;
      if (id === undefined) {
        while (usedIds.has(spare)) spare++;
        id = spare++;
      }
      const source: SourceDescription = {
        kind: 'source',
        name: g.source.name,
        topics: [...g.source.topics],
        pattern: g.source.pattern?.source,
        predecessors: [],
        successors: [g.processorName],
      };
      const processor: ProcessorDescription = {
        kind: 'processor',
        name: g.processorName,
        stores: [g.storeBuilder.name],
        predecessors: [g.source.name],
        successors: [],
      };
      return { id, source, processor };
    });
    return new TopologyDescription(subtopologies, globalStores);
  }
}

/**
 * Kafka Streams orders nodes (and each node's neighbours) by the size of the sub-graph below them, largest
 * first, then by name; a node's size counts every path down from it, so nodes below a merge count twice.
 */
function describeNodes(nodes: ReadonlyMap<string, TopologyNode>): NodeDescription[] {
  const predecessors = new Map<string, string[]>();
  for (const node of nodes.values()) predecessors.set(node.name, []);
  for (const node of nodes.values()) {
    if (node.kind === 'sink') continue;
    for (const child of node.successors) predecessors.get(child)?.push(node.name);
  }
  const sizes = new Map<string, number>();
  const size = (name: string): number => {
    let known = sizes.get(name);
    if (known === undefined) {
      const node = nodes.get(name);
      known = 1;
      if (node && node.kind !== 'sink') for (const child of node.successors) known += size(child);
      sizes.set(name, known);
    }
    return known;
  };
  const order = (a: string, b: string): number => size(b) - size(a) || (a < b ? -1 : a > b ? 1 : 0);
  const sorted = (list: readonly string[]) => [...list].sort(order);
  return sorted([...nodes.keys()]).map((name): NodeDescription => {
    const node = nodes.get(name)!;
    const predecessorNames = sorted(predecessors.get(name)!);
    if (node.kind === 'sink') {
      return {
        kind: 'sink',
        name,
        topic: typeof node.topic === 'string' ? node.topic : undefined,
        topicNameExtractor: typeof node.topic === 'string' ? undefined : node.topic.name || 'anonymous',
        predecessors: predecessorNames,
        successors: [],
      } satisfies SinkDescription;
    }
    const successors = sorted(node.successors);
    if (node.kind === 'processor') {
      return {
        kind: 'processor',
        name,
        stores: [...node.stores],
        predecessors: predecessorNames,
        successors,
      };
    }
    return {
      kind: 'source',
      name,
      topics: [...node.topics],
      pattern: node.pattern?.source,
      predecessors: predecessorNames,
      successors,
    };
  });
}
