import { type Serde, Serdes } from '@tributary/core';
import { changeSerde } from './internal/ChangeSerde.js';
import { childrenNeedOldValues } from './internal/childrenNeedOldValues.js';
import type { GraphNode } from './internal/GraphNode.js';
import type { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KTableAggregate } from './internal/processors/KTableAggregate.js';
import { splitNamedMaterialized } from './internal/splitNamedMaterialized.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import type { Named } from './Named.js';

/**
 * A table re-grouped by a new key (`KTable.groupBy`), ready to aggregate. Each change of the source table
 * reaches the aggregation as a subtraction of its old value from the old group and an addition of its new value
 * to the new group, through the repartition topic `<Grouped name or store name>-repartition`, so a key moving
 * between groups leaves the old one.
 */
export class KGroupedTable<K, V> {
  /** @internal Made by `KTable.groupBy()`. */
  constructor(
    /** @internal */ readonly builder: InternalStreamsBuilder,
    /** @internal */ readonly node: GraphNode,
    /** @internal */ readonly keySerde: Serde<K> | undefined,
    /** @internal */ readonly valueSerde: Serde<V> | undefined,
    /** @internal */ readonly groupedName: string | undefined,
  ) {}

  /** Number of source-table entries per group (Int64 values unless Materialized says otherwise). */
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.aggregateWith<number>(
      'KTABLE-AGGREGATE-',
      'count',
      n,
      m,
      () => 0,
      (_k, _v, count) => count + 1,
      (_k, _v, count) => count - 1,
      Serdes.Int64(),
    );
  }

  /** Combines a group's values with `adder`; `subtractor` removes a value that left the group or changed. */
  reduce(
    adder: (aggregate: V, value: V) => V,
    subtractor: (aggregate: V, value: V) => V,
    named?: Named | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.aggregateWith<V>(
      'KTABLE-REDUCE-',
      'reduce',
      n,
      m,
      undefined,
      (_k, value, aggregate) => adder(aggregate, value),
      (_k, value, aggregate) => subtractor(aggregate, value),
      this.valueSerde,
    );
  }

  /** Folds a group's values into an aggregate starting from `initializer()`; `subtractor` removes a value. */
  aggregate<A>(
    initializer: () => A,
    adder: (key: K, value: V, aggregate: A) => A,
    subtractor: (key: K, value: V, aggregate: A) => A,
    named?: Named | Materialized<K, A>,
    materialized?: Materialized<K, A>,
  ): KTable<K, A> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.aggregateWith<A>(
      'KTABLE-AGGREGATE-',
      'aggregate',
      n,
      m,
      initializer,
      adder,
      subtractor,
      undefined,
    );
  }

  /** Kafka Streams' naming order: store, repartition sink and source, then the aggregation processor. */
  private aggregateWith<A>(
    prefix: string,
    operation: string,
    named: Named | undefined,
    materialized: Materialized<K, A> | undefined,
    initializer: (() => A) | undefined,
    adder: (key: K, value: V, aggregate: A) => A,
    subtractor: (key: K, value: V, aggregate: A) => A,
    defaultValueSerde: Serde<A> | undefined,
  ): KTable<K, A> {
    const builder = this.builder;
    const storeName = materialized?.storeName ?? builder.newStoreName(prefix);
    const sinkName = builder.newProcessorName('KSTREAM-SINK-');
    const sourceName = builder.newProcessorName('KSTREAM-SOURCE-');
    const name = named?.name ?? builder.newProcessorName(prefix);
    const topic = `${this.groupedName ?? storeName}-repartition`;
    const innerValueSerde = (this.valueSerde ?? builder.defaults.defaultValueSerde) as Serde<V> | undefined;
    const repartitionValueSerde = innerValueSerde === undefined ? undefined : changeSerde(innerValueSerde);
    const fix = `pass Grouped.with(keySerde, valueSerde) to KTable.groupBy() before ${operation}()`;
    builder.addRepartitionTopic({ name: topic, numberOfPartitions: undefined });
    builder.addSink(
      {
        kind: 'sink',
        name: sinkName,
        topic,
        keySerde: this.keySerde as Serde<unknown> | undefined,
        valueSerde: repartitionValueSerde as Serde<unknown> | undefined,
        partitioner: undefined,
        fix: { key: fix, value: fix },
      },
      [this.node],
    );
    const source = builder.addSource({
      kind: 'source',
      name: sourceName,
      topics: [topic],
      pattern: undefined,
      keySerde: this.keySerde as Serde<unknown> | undefined,
      valueSerde: repartitionValueSerde as Serde<unknown> | undefined,
      timestampExtractor: undefined,
      fix: { key: fix, value: fix },
      global: false,
    });
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? defaultValueSerde;
    builder.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde: keySerde as Serde<unknown> | undefined,
      valueSerde: valueSerde as Serde<unknown> | undefined,
      loggingEnabled: materialized?.loggingEnabled ?? true,
      logConfig: materialized?.logConfig ?? {},
      cachingEnabled: materialized?.cachingEnabled ?? true,
      dslStoreSuppliers: materialized?.dslStoreSuppliers,
      owner: name,
      fix: {
        key: `pass Materialized.with(keySerde, valueSerde) to ${operation}() or Grouped.with(keySerde, valueSerde) to KTable.groupBy()`,
        value: `pass Materialized.with(keySerde, valueSerde) to ${operation}()`,
      },
      global: false,
    });
    const node = builder.addProcessor(
      {
        kind: 'processor',
        name,
        supplier: () =>
          new KTableAggregate<K, V, A>(
            storeName,
            initializer,
            adder,
            subtractor,
            childrenNeedOldValues(node),
          ) as never,
        stores: [storeName],
      },
      [source],
    );
    return new KTable<K, A>(builder, node, keySerde, valueSerde, storeName);
  }
}
