import { type Serde, Serdes } from '@tributary/core';
import type { GraphNode } from './internal/GraphNode.js';
import type { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KStreamAggregate } from './internal/processors/KStreamAggregate.js';
import { addRepartitionNodes } from './internal/RepartitionNodes.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import { Named } from './Named.js';

/**
 * A stream grouped by key, ready to aggregate. When the key was changed upstream, the aggregation first
 * writes the stream to a repartition topic (`<Grouped name or store name>-repartition`), so that all records
 * of a key reach the same task. (`windowedBy` will return a windowed variant sharing this machinery.)
 */
export class KGroupedStream<K, V> {
  /** @internal Made by `KStream.groupByKey()` / `groupBy()`. */
  constructor(
    /** @internal */ readonly builder: InternalStreamsBuilder,
    /** @internal */ readonly node: GraphNode,
    /** @internal */ readonly keySerde: Serde<K> | undefined,
    /** @internal */ readonly valueSerde: Serde<V> | undefined,
    /** @internal */ readonly repartitionRequired: boolean,
    /** @internal */ readonly groupedName: string | undefined,
  ) {}

  /** Counts records per key (values serialized with Int64 unless Materialized says otherwise). */
  count(named?: Named | Materialized<K, number>, materialized?: Materialized<K, number>): KTable<K, number> {
    const [n, m] = splitArgs(named, materialized);
    return this.aggregateWith<number>(
      'KSTREAM-AGGREGATE-',
      'count',
      n,
      m,
      () => 0,
      (_key, _value, count) => count + 1,
      Serdes.Int64(),
    );
  }

  /** Combines the values of a key with `reducer`; the first value of a key is its starting aggregate. */
  reduce(
    reducer: (aggregate: V, value: V) => V,
    named?: Named | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    const [n, m] = splitArgs(named, materialized);
    return this.aggregateWith<V>(
      'KSTREAM-REDUCE-',
      'reduce',
      n,
      m,
      undefined,
      (_key, value, aggregate) => reducer(aggregate, value),
      this.valueSerde,
    );
  }

  /** Folds the values of a key into an aggregate that starts from `initializer()`. */
  aggregate<A>(
    initializer: () => A,
    aggregator: (key: K, value: V, aggregate: A) => A,
    named?: Named | Materialized<K, A>,
    materialized?: Materialized<K, A>,
  ): KTable<K, A> {
    const [n, m] = splitArgs(named, materialized);
    return this.aggregateWith<A>('KSTREAM-AGGREGATE-', 'aggregate', n, m, initializer, aggregator, undefined);
  }

  /**
   * The shared aggregation path, in Kafka Streams' naming order: store name, then processor name, then (if
   * needed) the repartition nodes, named after the Grouped name or else the store.
   */
  private aggregateWith<A>(
    prefix: string,
    operation: string,
    named: Named | undefined,
    materialized: Materialized<K, A> | undefined,
    initializer: (() => A) | undefined,
    aggregator: (key: K, value: V, aggregate: A) => A,
    defaultValueSerde: Serde<A> | undefined,
  ): KTable<K, A> {
    const builder = this.builder;
    const storeName = materialized?.storeName ?? builder.newStoreName(prefix);
    const name = named?.name ?? builder.newProcessorName(prefix);
    let parent = this.node;
    if (this.repartitionRequired) {
      const fix = {
        key: `pass Grouped.with(keySerde, valueSerde) to groupByKey()/groupBy() before ${operation}()`,
        value: `pass Grouped.with(keySerde, valueSerde) to groupByKey()/groupBy() before ${operation}()`,
      };
      parent = addRepartitionNodes(builder, this.node, this.groupedName ?? storeName, {
        keySerde: this.keySerde,
        valueSerde: this.valueSerde,
        numberOfPartitions: undefined,
        partitioner: undefined,
        filterNullKeys: true,
        fix,
        userNamed: this.groupedName !== undefined,
      });
    }
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? defaultValueSerde;
    builder.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde,
      valueSerde,
      loggingEnabled: materialized?.loggingEnabled ?? true,
      logConfig: materialized?.logConfig ?? {},
      cachingEnabled: materialized?.cachingEnabled ?? true,
      owner: name,
      fix: {
        key: `pass Materialized.with(keySerde, valueSerde) to ${operation}() or Grouped.with(keySerde, valueSerde) to groupByKey()/groupBy()`,
        value: `pass Materialized.with(keySerde, valueSerde) to ${operation}()`,
      },
      global: false,
    });
    const node = builder.addProcessor(
      {
        kind: 'processor',
        name,
        supplier: () => new KStreamAggregate<K, V, A>(storeName, initializer, aggregator) as never,
        stores: [storeName],
      },
      [parent],
    );
    return new KTable<K, A>(builder, node, keySerde, valueSerde, storeName);
  }
}

function splitArgs<M>(
  named: Named | M | undefined,
  materialized: M | undefined,
): [Named | undefined, M | undefined] {
  if (named instanceof Named || named === undefined) return [named as Named | undefined, materialized];
  return [undefined, named];
}
