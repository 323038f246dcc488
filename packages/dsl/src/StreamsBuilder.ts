import { ConfigError, type Serde } from '@tributary/core';
import {
  type DslStoreSuppliers,
  InMemoryDslStoreSuppliers,
  type StateStore,
  type StoreBuilder,
} from '@tributary/state';
import type { Consumed } from './Consumed.js';
import { GlobalKTable } from './GlobalKTable.js';
import { checkDslStoreSuppliers } from './internal/checkDslStoreSuppliers.js';
import { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KTableSource } from './internal/processors/KTableSource.js';
import { compileTopology } from './internal/TopologyCompiler.js';
import { KStream } from './KStream.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import type { Topology } from './Topology.js';

export interface StreamsBuilderOptions {
  /** Used wherever a key serde is needed and none was given (Consumed, Produced, Grouped, Materialized). */
  readonly defaultKeySerde?: Serde<unknown>;
  /** Used wherever a value serde is needed and none was given. */
  readonly defaultValueSerde?: Serde<unknown>;
  /**
   * The kind of store the DSL builds wherever an operator does not choose one (Kafka Streams'
   * `dsl.store.suppliers.class`): `InMemoryDslStoreSuppliers` (the default) or `RocksDBDslStoreSuppliers` from
   * `@tributary/rocksdb`. `Materialized.withStoreType` / `StreamJoined.withDslStoreSuppliers` override it per
   * operator. The suppress buffer always stays in memory, as in Kafka Streams.
   */
  readonly dslStoreSuppliers?: DslStoreSuppliers;
  /**
   * Kafka's internal `__emit.interval.ms.kstreams.windowed.aggregation__`: the wall-clock time between two
   * emit-on-close checks of a windowed aggregation (`emitStrategy(EmitStrategy.onWindowClose())`), so closed
   * windows come out at the first record after the interval. Default 1000, as Kafka; 0 checks at every record.
   */
  readonly windowedAggregationEmitIntervalMs?: number;
  /**
   * Kafka's internal `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`: the wall-clock time
   * between two checks of a left/outer stream-stream join for unjoined records whose window closed. Default
   * 1000, as Kafka; 0 checks at every record.
   */
  readonly outerJoinEmitIntervalMs?: number;
}

/**
 * Entry point of the DSL: declare sources (streams, tables, global tables) and stores, chain operators on
 * the streams, then `build()` the immutable Topology. Node and store names come from one counter, in the
 * same order as Kafka Streams (`KSTREAM-SOURCE-0000000000`, ...), unless given with Named/Consumed/....
 */
export class StreamsBuilder {
  private readonly internal: InternalStreamsBuilder;

  constructor(options: StreamsBuilderOptions = {}) {
    const dslStoreSuppliers =
      options.dslStoreSuppliers === undefined
        ? InMemoryDslStoreSuppliers
        : checkDslStoreSuppliers(
            options.dslStoreSuppliers,
            'new StreamsBuilder({ dslStoreSuppliers })',
            (message) => new ConfigError(message),
          );
    this.internal = new InternalStreamsBuilder({
      defaultKeySerde: options.defaultKeySerde,
      defaultValueSerde: options.defaultValueSerde,
      dslStoreSuppliers,
      windowedAggregationEmitIntervalMs: emitInterval(
        options.windowedAggregationEmitIntervalMs,
        'windowedAggregationEmitIntervalMs',
      ),
      outerJoinEmitIntervalMs: emitInterval(options.outerJoinEmitIntervalMs, 'outerJoinEmitIntervalMs'),
    });
  }

  /** A stream of the records of one topic, several topics, or every topic matching a pattern. */
  stream<K, V>(topics: string | readonly string[] | RegExp, consumed?: Consumed<K, V>): KStream<K, V> {
    const isPattern = topics instanceof RegExp;
    const list = isPattern ? [] : typeof topics === 'string' ? [topics] : [...topics];
    if (!isPattern && list.length === 0) throw new TypeError('stream(): give at least one topic');
    const shown = isPattern ? `/${topics.source}/` : list.map((t) => `'${t}'`).join(', ');
    const call = isPattern || list.length === 1 ? `stream(${shown})` : `stream([${shown}])`;
    const fix = `pass Consumed.with(keySerde, valueSerde) to ${call}`;
    const node = this.internal.addSource({
      kind: 'source',
      name: consumed?.name ?? this.internal.newProcessorName('KSTREAM-SOURCE-'),
      topics: list,
      pattern: isPattern ? topics : undefined,
      keySerde: consumed?.keySerde,
      valueSerde: consumed?.valueSerde,
      timestampExtractor: consumed?.timestampExtractor,
      fix: { key: fix, value: fix },
      global: false,
    });
    return new KStream<K, V>(this.internal, node, consumed?.keySerde, consumed?.valueSerde, false);
  }

  /** A table of the latest value per key of a (changelog) topic, materialized in a key-value store. */
  table<K, V>(topic: string, consumed?: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    const { storeName, keySerde, valueSerde, tableSourceName, source } = this.tableSource(
      'table',
      topic,
      consumed,
      materialized,
      false,
    );
    const node = this.internal.addProcessor(
      {
        kind: 'processor',
        name: tableSourceName,
        supplier: () => new KTableSource<K, V>(storeName) as never,
        stores: [storeName],
      },
      [source],
    );
    return new KTable<K, V>(this.internal, node, keySerde, valueSerde, storeName);
  }

  /** A table filled from all partitions of `topic` on every instance (no changelog: the topic is one). */
  globalTable<K, V>(
    topic: string,
    consumed?: Consumed<K, V>,
    materialized?: Materialized<K, V>,
  ): GlobalKTable<K, V> {
    const { storeName, tableSourceName, source } = this.tableSource(
      'globalTable',
      topic,
      consumed,
      materialized,
      true,
    );
    const processor = this.internal.addProcessor(
      {
        kind: 'processor',
        name: tableSourceName,
        supplier: () => new KTableSource<K, V>(storeName) as never,
        stores: [storeName],
      },
      [source],
    );
    this.internal.globalStores.push({ storeName, source, processor });
    return new GlobalKTable<K, V>(storeName);
  }

  /** Adds a store that Processor API nodes (`process`, `processValues`) can name and use. */
  addStateStore(storeBuilder: StoreBuilder<StateStore>): this {
    this.internal.addStore({ kind: 'user', name: storeBuilder.name, builder: storeBuilder });
    return this;
  }

  /** Compiles everything declared so far into an immutable Topology; throws a TopologyError on mistakes. */
  build(): Topology {
    return compileTopology(this.internal);
  }

  private tableSource<K, V>(
    operation: string,
    topic: string,
    consumed: Consumed<K, V> | undefined,
    materialized: Materialized<K, V> | undefined,
    global: boolean,
  ) {
    const b = this.internal;
    // Kafka Streams' order: the store name (`<topic>-STATE-STORE-n`), then the source, then the table source.
    const storeName = materialized?.storeName ?? b.newStoreName(`${topic}-`);
    const sourceName = consumed?.name ?? b.newProcessorName('KSTREAM-SOURCE-');
    const tableSourceName =
      consumed?.name !== undefined ? `${consumed.name}-table-source` : b.newProcessorName('KTABLE-SOURCE-');
    const fix = `pass Consumed.with(keySerde, valueSerde) to ${operation}('${topic}')`;
    const source = b.addSource({
      kind: 'source',
      name: sourceName,
      topics: [topic],
      pattern: undefined,
      keySerde: consumed?.keySerde,
      valueSerde: consumed?.valueSerde,
      timestampExtractor: consumed?.timestampExtractor,
      fix: { key: fix, value: fix },
      global,
    });
    const keySerde = materialized?.keySerde ?? consumed?.keySerde;
    const valueSerde = materialized?.valueSerde ?? consumed?.valueSerde;
    const storeFix = `pass Consumed.with(keySerde, valueSerde) or Materialized.with(keySerde, valueSerde) to ${operation}('${topic}')`;
    b.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde,
      valueSerde,
      loggingEnabled: global ? false : (materialized?.loggingEnabled ?? true),
      logConfig: materialized?.logConfig ?? {},
      cachingEnabled: materialized?.cachingEnabled ?? true,
      dslStoreSuppliers: materialized?.dslStoreSuppliers,
      owner: tableSourceName,
      fix: { key: storeFix, value: storeFix },
      global,
    });
    return { storeName, keySerde, valueSerde, tableSourceName, source };
  }
}

/** Kafka's default emit interval (1000 ms), or the given one checked. */
function emitInterval(value: number | undefined, option: string): number {
  if (value === undefined) return 1000;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(
      `new StreamsBuilder({ ${option}: ${value} }): give a whole number of milliseconds >= 0 (default 1000)`,
    );
  }
  return value;
}
