import { type Serde, TopologyError } from '@tributary/core';
import type { DslStoreSuppliers, StateStore, StoreBuilder } from '@tributary/state';
import type { GraphNode, ProcessorGraphNode, SerdeFix, SinkGraphNode, SourceGraphNode } from './GraphNode.js';

/** A store the DSL creates (aggregation, table source); its StoreBuilder is made at build time, once serdes resolve. */
export interface DslStoreSpec {
  readonly kind: 'dsl';
  readonly name: string;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<Record<string, string>>;
  readonly cachingEnabled: boolean;
  /** Node that materializes it, for error messages. */
  readonly owner: string;
  readonly fix: SerdeFix;
  /** Global stores never log: their source topic is their changelog. */
  readonly global: boolean;
  /**
   * The operator's own store type (`Materialized.withStoreType`, `StreamJoined.withDslStoreSuppliers`); undefined =
   * the builder's `dslStoreSuppliers`.
   */
  readonly dslStoreSuppliers?: DslStoreSuppliers | undefined;
  /**
   * Builds a store other than the default timestamped key-value store (e.g. the window stores of a stream-stream
   * join) from the resolved serdes and the store suppliers that apply (the spec's, else the builder's); logging
   * and caching are then applied from this spec.
   */
  readonly customBuilder?: (
    keySerde: Serde<unknown>,
    valueSerde: Serde<unknown>,
    suppliers: DslStoreSuppliers,
  ) => StoreBuilder<StateStore>;
}

export interface UserStoreSpec {
  readonly kind: 'user';
  readonly name: string;
  readonly builder: StoreBuilder<StateStore>;
}

export type StoreSpec = DslStoreSpec | UserStoreSpec;

export interface RepartitionTopicSpec {
  readonly name: string;
  readonly numberOfPartitions: number | undefined;
}

export interface GlobalStoreSpec {
  readonly storeName: string;
  readonly source: SourceGraphNode;
  readonly processor: ProcessorGraphNode;
}

export interface BuilderDefaults {
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  /** Where DSL stores come from unless an operator names its own (Kafka's `dsl.store.suppliers.class`). */
  readonly dslStoreSuppliers: DslStoreSuppliers;
  /** Wall-clock ms between emit-on-close checks of windowed aggregations (Kafka's internal config; 1000). */
  readonly windowedAggregationEmitIntervalMs: number;
  /** Wall-clock ms between unjoined-record checks of left/outer stream-stream joins (Kafka's; 1000). */
  readonly outerJoinEmitIntervalMs: number;
}

type NewNode<N extends GraphNode> = Omit<N, 'parents' | 'children'>;

/**
 * The mutable logical graph behind StreamsBuilder and the streams it hands out: nodes in creation
 * (topological) order, stores, repartition topics, and the global name counter (`KSTREAM-FILTER-0000000001`).
 */
export class InternalStreamsBuilder {
  readonly nodes: GraphNode[] = [];
  readonly nodesByName = new Map<string, GraphNode>();
  readonly stores = new Map<string, StoreSpec>();
  readonly repartitionTopics = new Map<string, RepartitionTopicSpec>();
  readonly globalStores: GlobalStoreSpec[] = [];
  private index = 0;

  constructor(readonly defaults: BuilderDefaults) {}

  newProcessorName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  newStoreName(prefix: string): string {
    return `${prefix}STATE-STORE-${String(this.index++).padStart(10, '0')}`;
  }

  addSource(node: NewNode<SourceGraphNode>): SourceGraphNode {
    return this.add({ ...node, parents: [], children: [] }, []);
  }

  addProcessor(node: NewNode<ProcessorGraphNode>, parents: readonly GraphNode[]): ProcessorGraphNode {
    return this.add({ ...node, parents: [], children: [] }, parents);
  }

  addSink(node: NewNode<SinkGraphNode>, parents: readonly GraphNode[]): SinkGraphNode {
    return this.add({ ...node, parents: [], children: [] }, parents);
  }

  addStore(spec: StoreSpec): void {
    if (this.stores.has(spec.name)) {
      throw new TopologyError(
        `A store named '${spec.name}' is already in this topology; give the new one a different name ` +
          '(Materialized.as(...) or the StoreBuilder name)',
      );
    }
    this.stores.set(spec.name, spec);
  }

  addRepartitionTopic(spec: RepartitionTopicSpec): void {
    if (this.repartitionTopics.has(spec.name)) {
      throw new TopologyError(
        `Repartition topic '${spec.name}' is already used by another repartition in this topology; ` +
          'give one of them a different name (Grouped.as(...) or Repartitioned.as(...))',
      );
    }
    this.repartitionTopics.set(spec.name, spec);
  }

  private add<N extends GraphNode>(node: N, parents: readonly GraphNode[]): N {
    if (this.nodesByName.has(node.name)) {
      throw new TopologyError(
        `Node name '${node.name}' is already used by another node; pass a different Named.as(...) ` +
          '(or Consumed/Produced/Grouped/Repartitioned name)',
      );
    }
    for (const parent of parents) {
      if (parent.kind === 'sink') throw new TopologyError(`Sink '${parent.name}' cannot have children`);
      parent.children.push(node);
      node.parents.push(parent);
    }
    this.nodes.push(node);
    this.nodesByName.set(node.name, node);
    return node;
  }
}
