import { type Serde, Serdes, TopologyError, type Windowed } from '@tributary/core';
import { Stores } from '@tributary/state';
import { EmitStrategy } from './EmitStrategy.js';
import { EmitThrottle } from './internal/EmitThrottle.js';
import { addGroupedAggregate } from './internal/GroupedStreamAggregateBuilder.js';
import { KStreamSlidingWindowAggregate } from './internal/processors/KStreamSlidingWindowAggregate.js';
import { KStreamWindowAggregate } from './internal/processors/KStreamWindowAggregate.js';
import { splitNamedMaterialized } from './internal/splitNamedMaterialized.js';
import { valueAndTimestampSerde } from './internal/ValueAndTimestamp.js';
import { WindowGrace } from './internal/WindowGrace.js';
import type { KGroupedStream } from './KGroupedStream.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import type { Named } from './Named.js';
import { SlidingWindows } from './SlidingWindows.js';
import type { TimeWindows } from './TimeWindows.js';

/**
 * A grouped stream windowed by TimeWindows (tumbling/hopping) or SlidingWindows, ready to aggregate into a
 * `KTable<Windowed<K>, A>`. The store is a window store keeping windows for the Materialized retention (default
 * size + grace; for sliding windows 2 × time difference + grace), with a `compact,delete` changelog. Its values
 * are `{ value, timestamp }` (the aggregate and the largest record timestamp of the window).
 */
export class TimeWindowedKStream<K, V> {
  /** @internal Made by `KGroupedStream.windowedBy()`. */
  constructor(
    /** @internal */ readonly grouped: KGroupedStream<K, V>,
    /** @internal */ readonly windows: TimeWindows | SlidingWindows,
    /** @internal */ readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /** Emit results on every update (default) or once per window when it closes. */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStream(this.grouped, this.windows, strategy);
  }

  /** Counts records per key and window (Int64 values unless Materialized says otherwise). */
  count(
    named?: Named | Materialized<K, number>,
    materialized?: Materialized<K, number>,
  ): KTable<Windowed<K>, number> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.build<number>(
      'count',
      n,
      m,
      () => 0,
      (_k, _v, count) => count + 1,
      Serdes.Int64(),
    );
  }

  /** Combines the values of a key in each window; a window's first value is its starting aggregate. */
  reduce(
    reducer: (aggregate: V, value: V) => V,
    named?: Named | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<Windowed<K>, V> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.build<V>(
      'reduce',
      n,
      m,
      undefined,
      (_k, value, aggregate) => reducer(aggregate, value),
      this.grouped.valueSerde,
    );
  }

  /** Folds the values of a key in each window into an aggregate starting from `initializer()`. */
  aggregate<A>(
    initializer: () => A,
    aggregator: (key: K, value: V, aggregate: A) => A,
    named?: Named | Materialized<K, A>,
    materialized?: Materialized<K, A>,
  ): KTable<Windowed<K>, A> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.build<A>('aggregate', n, m, initializer, aggregator, undefined);
  }

  private build<A>(
    operation: string,
    named: Named | undefined,
    materialized: Materialized<K, A> | undefined,
    initializer: (() => A) | undefined,
    aggregator: (key: K, value: V, aggregate: A) => A,
    defaultValueSerde: Serde<A> | undefined,
  ): KTable<Windowed<K>, A> {
    const windows = this.windows;
    const sliding = windows instanceof SlidingWindows;
    const sizeMs = sliding ? windows.timeDifferenceMs : windows.sizeMs;
    const graceMs = windows.graceMs;
    const minRetention = sliding ? 2 * sizeMs + graceMs : sizeMs + graceMs;
    const retentionMs = materialized?.retentionMs ?? minRetention;
    if (retentionMs < minRetention) {
      throw new TopologyError(
        `${operation}(): the retention of window store '${materialized?.storeName ?? '(generated)'}' is ` +
          `${retentionMs} ms, less than the ${sliding ? '2 × time difference' : 'window size'} plus grace ` +
          `(${minRetention} ms); raise Materialized.withRetention(...) to at least ${minRetention}`,
      );
    }
    const emitOnClose = this.strategy.type === 'onWindowClose';
    const emitIntervalMs = this.grouped.builder.defaults.windowedAggregationEmitIntervalMs;
    const prefix = operation === 'reduce' ? 'KSTREAM-REDUCE-' : 'KSTREAM-AGGREGATE-';
    const aggregate = addGroupedAggregate(this.grouped as KGroupedStream<unknown, unknown>, {
      prefix,
      operation,
      named,
      materialized: materialized as Materialized<unknown, unknown> | undefined,
      defaultValueSerde: defaultValueSerde as Serde<unknown> | undefined,
      cachingAllowed: !emitOnClose,
      customBuilder: (keySerde, valueSerde, suppliers) =>
        Stores.windowStoreBuilder(
          suppliers.windowStore({
            name: aggregate.storeName,
            // Emit on close, Kafka reads a time-ordered store that keeps starts >= its stream time - retention,
            // one more than the update-mode store: keep ours 1 ms longer to match.
            retentionMs: emitOnClose ? retentionMs + 1 : retentionMs,
            windowSizeMs: sizeMs,
            retainDuplicates: false,
            graceMs,
          }),
          keySerde,
          valueAndTimestampSerde(valueSerde),
        ),
      supplier: (storeName, sendOldValues) => () =>
        (sliding
          ? new KStreamSlidingWindowAggregate<K, V, A>(
              storeName,
              windows,
              initializer,
              aggregator,
              emitOnClose,
              sendOldValues(),
              retentionMs,
              new EmitThrottle(emitIntervalMs),
            )
          : new KStreamWindowAggregate<K, V, A>(
              storeName,
              windows,
              initializer,
              aggregator,
              emitOnClose,
              sendOldValues(),
              retentionMs,
              new EmitThrottle(emitIntervalMs),
            )) as never,
    });
    WindowGrace.register(aggregate.node, graceMs);
    const builder = this.grouped.builder;
    const innerKeySerde = (aggregate.keySerde ?? builder.defaults.defaultKeySerde) as Serde<K> | undefined;
    return new KTable<Windowed<K>, A>(
      builder,
      aggregate.node,
      innerKeySerde === undefined ? undefined : Serdes.TimeWindowed(innerKeySerde, sizeMs),
      aggregate.valueSerde as Serde<A> | undefined,
      aggregate.storeName,
    );
  }
}
