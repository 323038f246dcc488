import type { Serde } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { Grouped } from './Grouped.js';
import { addSuppress } from './internal/addSuppress.js';
import { childrenNeedOldValues } from './internal/childrenNeedOldValues.js';
import type { GraphNode } from './internal/GraphNode.js';
import type { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KTableMapper } from './internal/processors/KTableMapper.js';
import { KTableRepartitionMap } from './internal/processors/KTableRepartitionMap.js';
import { KTableToStream } from './internal/processors/KTableToStream.js';
import { foreignKeyJoin, splitNamedMaterialized, tableTableJoin } from './internal/TableJoins.js';
import { KGroupedTable } from './KGroupedTable.js';
import { KStream } from './KStream.js';
import type { Materialized } from './Materialized.js';
import { Named } from './Named.js';
import type { Suppressed } from './Suppressed.js';
import type { ValueJoiner } from './ValueJoiner.js';

/**
 * A changelog stream read as a table: the latest value per key. Its nodes forward `Change`s (new and old
 * value) internally; `toStream()` turns them into records of the new value (null for a deletion).
 */
export class KTable<K, V> {
  /** @internal Tables are made by StreamsBuilder, aggregations and `KStream.toTable()`. */
  constructor(
    /** @internal */ readonly builder: InternalStreamsBuilder,
    /** @internal */ readonly node: GraphNode,
    /** @internal */ readonly keySerde: Serde<K> | undefined,
    /** @internal */ readonly valueSerde: Serde<V> | undefined,
    /** The store holding this table, when it is materialized (queryable by this name). */
    readonly queryableStoreName: string | undefined,
  ) {}

  /** Each update as a record: key, new value (null when deleted), the update's timestamp and headers. */
  toStream(named?: Named): KStream<K, V> {
    const name = named?.name ?? this.builder.newProcessorName('KTABLE-TOSTREAM-');
    const node = this.builder.addProcessor(
      {
        kind: 'processor',
        name,
        supplier: () => new KTableToStream() as never,
        stores: [],
        ignoresOldValues: true,
      },
      [this.node],
    );
    return new KStream<K, V>(this.builder, node, this.keySerde, this.valueSerde, false);
  }

  /**
   * Re-groups the table by a new key: `selector` maps each entry to a (group key, value) pair (null skips it).
   * The aggregation that follows repartitions by the group key and subtracts an entry from its old group when
   * it changes or moves.
   */
  groupBy<KR, VR>(
    selector: (key: K, value: V) => KeyValue<KR, VR> | null,
    grouped?: Grouped<KR, VR>,
  ): KGroupedTable<KR, VR> {
    const name = grouped?.name ?? this.builder.newProcessorName('KTABLE-SELECT-');
    const node = this.builder.addProcessor(
      { kind: 'processor', name, supplier: () => new KTableRepartitionMap(selector) as never, stores: [] },
      [this.node],
    );
    return new KGroupedTable<KR, VR>(
      this.builder,
      node,
      grouped?.keySerde,
      grouped?.valueSerde,
      grouped?.name,
    );
  }

  /**
   * Holds back updates: `Suppressed.untilWindowCloses` forwards one final result per window of a windowed
   * aggregation once stream time reaches its end + grace; `untilTimeLimit` forwards a key's latest value once
   * the time limit has passed since its first held update.
   */
  suppress(suppressed: Suppressed): KTable<K, V> {
    const node = addSuppress(this as KTable<unknown, unknown>, suppressed);
    return new KTable<K, V>(this.builder, node, this.keySerde, this.valueSerde, undefined);
  }

  /** A table of the entries for which `predicate` is true (others read as deleted). */
  filter(
    predicate: (key: K, value: V) => boolean,
    named?: Named | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    return this.derive<V>(
      'KTABLE-FILTER-',
      (key, value) => (predicate(key, value) ? value : null),
      named,
      materialized,
      this.valueSerde,
    );
  }

  /** A table of the entries for which `predicate` is false. */
  filterNot(
    predicate: (key: K, value: V) => boolean,
    named?: Named | Materialized<K, V>,
    materialized?: Materialized<K, V>,
  ): KTable<K, V> {
    return this.derive<V>(
      'KTABLE-FILTER-',
      (key, value) => (predicate(key, value) ? null : value),
      named,
      materialized,
      this.valueSerde,
    );
  }

  /** A table with each value mapped (the key is passed read-only). */
  mapValues<VR>(
    mapper: (value: V, key: K) => VR,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR> {
    return this.derive<VR>(
      'KTABLE-MAPVALUES-',
      (key, value) => mapper(value, key),
      named,
      materialized,
      undefined,
    );
  }

  /**
   * Inner join with another table on the key: a result while both sides have a value, updated when either
   * side changes, deleted (a tombstone) when either side is deleted. Materialize the result with `Materialized`.
   * With a `foreignKeyExtractor`, a foreign-key join instead: each left row joins the right row whose key the
   * extractor returns (through subscription and response topics), updated when either row changes.
   */
  join<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR, K>,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V, key: K) => KO | null,
    joiner: ValueJoiner<V, VO, VR, K>,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  join<VR>(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, VR> {
    return this.anyJoin(other as never, a, b, c, d, 'inner') as never;
  }

  /**
   * Left join with another table: a result while the left side has a value (right value null when absent).
   * With a `foreignKeyExtractor`, a foreign-key left join.
   */
  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO | null, VR, K>,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V, key: K) => KO | null,
    joiner: ValueJoiner<V, VO | null, VR, K>,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR>;
  leftJoin<VR>(other: unknown, a: unknown, b?: unknown, c?: unknown, d?: unknown): KTable<K, VR> {
    return this.anyJoin(other as never, a, b, c, d, 'left') as never;
  }

  /** Outer join with another table: a result while either side has a value (the absent side is null). */
  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR, K>,
    named?: Named | Materialized<K, VR>,
    materialized?: Materialized<K, VR>,
  ): KTable<K, VR> {
    const [n, m] = splitNamedMaterialized(named, materialized);
    return tableTableJoin(this as never, other as never, joiner as never, n, m as never, 'outer') as never;
  }

  private anyJoin(
    other: KTable<unknown, unknown>,
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
    kind: 'inner' | 'left',
  ): KTable<unknown, unknown> {
    if (typeof b === 'function') {
      const [n, m] = splitNamedMaterialized(c as never, d as never);
      return foreignKeyJoin(this as never, other, a as never, b as never, n, m, kind === 'left');
    }
    const [n, m] = splitNamedMaterialized(b as never, c as never);
    return tableTableJoin(this as never, other, a as never, n, m, kind);
  }

  private derive<VR>(
    prefix: string,
    compute: (key: K, value: V) => VR | null,
    namedOrMaterialized: Named | Materialized<K, VR> | undefined,
    materializedArg: Materialized<K, VR> | undefined,
    valueSerde: Serde<VR> | undefined,
  ): KTable<K, VR> {
    const [named, materialized] =
      namedOrMaterialized instanceof Named || namedOrMaterialized === undefined
        ? [namedOrMaterialized, materializedArg]
        : [undefined, namedOrMaterialized];
    const storeName = materialized
      ? (materialized.storeName ?? this.builder.newStoreName(prefix))
      : undefined;
    const name = named?.name ?? this.builder.newProcessorName(prefix);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const outValueSerde = materialized?.valueSerde ?? valueSerde;
    if (materialized && storeName !== undefined) {
      const fix = `pass Materialized.with(keySerde, valueSerde) to ${prefix === 'KTABLE-FILTER-' ? 'filter' : 'mapValues'}()`;
      this.builder.addStore({
        kind: 'dsl',
        name: storeName,
        keySerde,
        valueSerde: outValueSerde,
        loggingEnabled: materialized.loggingEnabled,
        logConfig: materialized.logConfig,
        cachingEnabled: materialized.cachingEnabled,
        dslStoreSuppliers: materialized.dslStoreSuppliers,
        owner: name,
        fix: { key: fix, value: fix },
        global: false,
      });
    }
    const node = this.builder.addProcessor(
      {
        kind: 'processor',
        name,
        supplier: () =>
          new KTableMapper<K, V, VR>(
            compute,
            storeName,
            prefix === 'KTABLE-FILTER-',
            childrenNeedOldValues(node),
          ) as never,
        stores: storeName === undefined ? [] : [storeName],
        oldValuesOnlyForChildren: true,
      },
      [this.node],
    );
    return new KTable<K, VR>(this.builder, node, keySerde, outValueSerde, storeName);
  }
}
