import { type Serde, Serdes } from '@tributary/core';
import type { GraphNode } from './internal/GraphNode.js';
import { addGroupedAggregate } from './internal/GroupedStreamAggregateBuilder.js';
import type { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KStreamAggregate } from './internal/processors/KStreamAggregate.js';
import { splitNamedMaterialized } from './internal/splitNamedMaterialized.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import type { Named } from './Named.js';
import { SessionWindowedKStream } from './SessionWindowedKStream.js';
import { SessionWindows } from './SessionWindows.js';
import type { SlidingWindows } from './SlidingWindows.js';
import { TimeWindowedKStream } from './TimeWindowedKStream.js';
import type { TimeWindows } from './TimeWindows.js';

/**
 * A stream grouped by key, ready to aggregate. When the key was changed upstream, the aggregation first
 * writes the stream to a repartition topic (`<Grouped name or store name>-repartition`), so that all records
 * of a key reach the same task. `windowedBy` returns a windowed variant sharing this machinery.
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
    const [n, m] = splitNamedMaterialized(named, materialized);
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
    const [n, m] = splitNamedMaterialized(named, materialized);
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
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.aggregateWith<A>('KSTREAM-AGGREGATE-', 'aggregate', n, m, initializer, aggregator, undefined);
  }

  /** Windows the grouped stream: tumbling/hopping TimeWindows or SlidingWindows. */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  /** Windows the grouped stream into sessions. */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(
    windows: TimeWindows | SlidingWindows | SessionWindows,
  ): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStream(this, windows);
    return new TimeWindowedKStream(this, windows);
  }

  private aggregateWith<A>(
    prefix: string,
    operation: string,
    named: Named | undefined,
    materialized: Materialized<K, A> | undefined,
    initializer: (() => A) | undefined,
    aggregator: (key: K, value: V, aggregate: A) => A,
    defaultValueSerde: Serde<A> | undefined,
  ): KTable<K, A> {
    const aggregate = addGroupedAggregate(this as KGroupedStream<unknown, unknown>, {
      prefix,
      operation,
      named,
      materialized: materialized as Materialized<unknown, unknown> | undefined,
      defaultValueSerde: defaultValueSerde as Serde<unknown> | undefined,
      cachingAllowed: true,
      supplier: (storeName, sendOldValues) => () =>
        new KStreamAggregate<K, V, A>(storeName, initializer, aggregator, sendOldValues()) as never,
    });
    return new KTable<K, A>(
      this.builder,
      aggregate.node,
      aggregate.keySerde as Serde<K> | undefined,
      aggregate.valueSerde as Serde<A> | undefined,
      aggregate.storeName,
    );
  }
}
