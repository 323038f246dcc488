import { type Serde, Serdes, TopologyError, type Windowed } from '@tributary/core';
import { Stores } from '@tributary/state';
import { EmitStrategy } from './EmitStrategy.js';
import { EmitThrottle } from './internal/EmitThrottle.js';
import { addGroupedAggregate } from './internal/GroupedStreamAggregateBuilder.js';
import { KStreamSessionWindowAggregate } from './internal/processors/KStreamSessionWindowAggregate.js';
import { splitNamedMaterialized } from './internal/splitNamedMaterialized.js';
import { WindowGrace } from './internal/WindowGrace.js';
import type { KGroupedStream } from './KGroupedStream.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import type { Named } from './Named.js';
import type { SessionWindows } from './SessionWindows.js';

/**
 * A grouped stream windowed into sessions, ready to aggregate into a `KTable<Windowed<K>, A>` whose windows are
 * the sessions `[first, last]`. Merging sessions forwards a tombstone for each merged session. The session store
 * keeps sessions for the Materialized retention (default gap + grace + 1 ms), with a `compact,delete` changelog.
 * With `emitStrategy(EmitStrategy.onWindowClose())` each session is forwarded once, when it closes.
 */
export class SessionWindowedKStream<K, V> {
  /** @internal Made by `KGroupedStream.windowedBy(SessionWindows)`. */
  constructor(
    /** @internal */ readonly grouped: KGroupedStream<K, V>,
    /** @internal */ readonly windows: SessionWindows,
    /** @internal */ readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /**
   * On window close: no result per update; each session is forwarded exactly once, when stream time passes its
   * end + gap + grace (Kafka Streams: end < stream time - gap - grace), with its end as timestamp.
   */
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStream(this.grouped, this.windows, strategy);
  }

  /** Counts records per session (Int64 values unless Materialized says otherwise). */
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
      (_k, _v, count) => (count ?? 0) + 1,
      (_k, a, b) => (a ?? 0) + b,
      Serdes.Int64(),
    );
  }

  /** Combines the values of a session with `reducer` (also used to merge two sessions). */
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
      () => null,
      (_k, value, aggregate) => (aggregate === null ? value : reducer(aggregate, value)),
      (_k, a, b) => (a === null ? b : reducer(a, b)),
      this.grouped.valueSerde,
    );
  }

  /** Folds the values of a session into an aggregate; `merger` combines two sessions' aggregates on a merge. */
  aggregate<A>(
    initializer: () => A,
    aggregator: (key: K, value: V, aggregate: A) => A,
    merger: (key: K, aggregate1: A, aggregate2: A) => A,
    named?: Named | Materialized<K, A>,
    materialized?: Materialized<K, A>,
  ): KTable<Windowed<K>, A> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return this.build<A>(
      'aggregate',
      n,
      m,
      initializer,
      (k, v, a) => aggregator(k, v, a as A),
      (k, a, b) => merger(k, a as A, b),
      undefined,
    );
  }

  private build<A>(
    operation: string,
    named: Named | undefined,
    materialized: Materialized<K, A> | undefined,
    initializer: () => A | null,
    aggregator: (key: K, value: V, aggregate: A | null) => A,
    merger: (key: K, aggregate1: A | null, aggregate2: A) => A,
    defaultValueSerde: Serde<A> | undefined,
  ): KTable<Windowed<K>, A> {
    const windows = this.windows;
    const minRetention = windows.inactivityGapMs + windows.graceMs;
    // One more than Kafka's default: the in-memory store expires a session exactly `retention` after its end,
    // the moment the processor may still update it (end = close time) or is about to emit it.
    const retentionMs = materialized?.retentionMs ?? minRetention + 1;
    if (retentionMs < minRetention) {
      throw new TopologyError(
        `${operation}(): the retention of session store '${materialized?.storeName ?? '(generated)'}' is ` +
          `${retentionMs} ms, less than the inactivity gap plus grace (${minRetention} ms); raise ` +
          `Materialized.withRetention(...) to at least ${minRetention}`,
      );
    }
    const emitOnClose = this.strategy.type === 'onWindowClose';
    const emitIntervalMs = this.grouped.builder.defaults.windowedAggregationEmitIntervalMs;
    const kafkaRetentionMs = materialized?.retentionMs ?? minRetention;
    // Emit on close reads Kafka's time-ordered session store, which drops sessions a segment at a time
    // (segments of max(retention / 2, 60 s)): keep ours that much longer, the processor applies Kafka's rule.
    const segmentIntervalMs = Math.max(Math.trunc(kafkaRetentionMs / 2), 60_000);
    const storeRetentionMs = emitOnClose ? kafkaRetentionMs + segmentIntervalMs : retentionMs;
    const prefix = operation === 'reduce' ? 'KSTREAM-REDUCE-' : 'KSTREAM-AGGREGATE-';
    const aggregate = addGroupedAggregate(this.grouped as KGroupedStream<unknown, unknown>, {
      prefix,
      operation,
      named,
      materialized: materialized as Materialized<unknown, unknown> | undefined,
      defaultValueSerde: defaultValueSerde as Serde<unknown> | undefined,
      cachingAllowed: !emitOnClose,
      customBuilder: (keySerde, valueSerde, suppliers) =>
        Stores.sessionStoreBuilder(
          suppliers.sessionStore({ name: aggregate.storeName, retentionMs: storeRetentionMs }),
          keySerde,
          valueSerde,
        ),
      supplier: (storeName, sendOldValues) => () =>
        new KStreamSessionWindowAggregate<K, V, A>(
          storeName,
          windows,
          initializer,
          aggregator,
          merger,
          emitOnClose,
          sendOldValues(),
          kafkaRetentionMs,
          segmentIntervalMs,
          new EmitThrottle(emitIntervalMs),
        ) as never,
    });
    // As in Kafka Streams, a session is final once stream time passes its end + gap + grace.
    WindowGrace.register(aggregate.node, windows.inactivityGapMs + windows.graceMs);
    const builder = this.grouped.builder;
    const innerKeySerde = (aggregate.keySerde ?? builder.defaults.defaultKeySerde) as Serde<K> | undefined;
    return new KTable<Windowed<K>, A>(
      builder,
      aggregate.node,
      innerKeySerde === undefined ? undefined : Serdes.SessionWindowed(innerKeySerde),
      aggregate.valueSerde as Serde<A> | undefined,
      aggregate.storeName,
    );
  }
}
