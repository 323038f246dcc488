import type { Serde } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import { BranchedKStream } from './BranchedKStream.js';
import { GlobalKTable } from './GlobalKTable.js';
import type { Grouped } from './Grouped.js';
import type { GraphNode } from './internal/GraphNode.js';
import type { InternalStreamsBuilder } from './internal/InternalStreamsBuilder.js';
import { KStreamFilter } from './internal/processors/KStreamFilter.js';
import { KStreamFlatMap } from './internal/processors/KStreamFlatMap.js';
import { KStreamFlatMapValues } from './internal/processors/KStreamFlatMapValues.js';
import { KStreamMap } from './internal/processors/KStreamMap.js';
import { KStreamMapValues } from './internal/processors/KStreamMapValues.js';
import { KStreamPeek } from './internal/processors/KStreamPeek.js';
import { KStreamSelectKey } from './internal/processors/KStreamSelectKey.js';
import { KTableSource } from './internal/processors/KTableSource.js';
import { PassThrough } from './internal/processors/PassThrough.js';
import { addRepartitionNodes } from './internal/RepartitionNodes.js';
import { streamGlobalTableJoin, streamStreamJoin, streamTableJoin } from './internal/StreamJoins.js';
import type { Joined } from './Joined.js';
import type { JoinWindows } from './JoinWindows.js';
import { KGroupedStream } from './KGroupedStream.js';
import { KTable } from './KTable.js';
import type { Materialized } from './Materialized.js';
import { Named } from './Named.js';
import type { Produced } from './Produced.js';
import type { FixedKeyProcessorSupplier } from './processor/FixedKeyProcessor.js';
import type { ProcessorSupplier } from './processor/Processor.js';
import type { Repartitioned } from './Repartitioned.js';
import type { StreamJoined } from './StreamJoined.js';
import type { TopicNameExtractor } from './TopologyNode.js';
import type { ValueJoiner } from './ValueJoiner.js';

/**
 * An unbounded stream of key/value records. Every operator adds a node to the builder's graph and returns
 * a new stream; nothing runs until the built Topology is started. Key-changing operators (map, flatMap,
 * selectKey, process) mark the result so that a later aggregation repartitions it by the new key first.
 */
export class KStream<K, V> {
  /** @internal Streams are made by StreamsBuilder and by other streams' operators. */
  constructor(
    /** @internal */ readonly builder: InternalStreamsBuilder,
    /** @internal */ readonly node: GraphNode,
    /** @internal */ readonly keySerde: Serde<K> | undefined,
    /** @internal */ readonly valueSerde: Serde<V> | undefined,
    /** @internal */ readonly repartitionRequired: boolean,
  ) {}

  /** Keeps records for which `predicate` is true. */
  filter(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    return this.chain(
      'KSTREAM-FILTER-',
      named,
      () => new KStreamFilter(predicate, false),
      this.keySerde,
      this.valueSerde,
    );
  }

  /** Drops records for which `predicate` is true. */
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    return this.chain(
      'KSTREAM-FILTER-',
      named,
      () => new KStreamFilter(predicate, true),
      this.keySerde,
      this.valueSerde,
    );
  }

  /** A new key and value per record; a later aggregation repartitions. */
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: Named): KStream<KR, VR> {
    return this.chain('KSTREAM-MAP-', named, () => new KStreamMap(mapper), undefined, undefined, true);
  }

  /** A new value per record (the key is passed read-only). */
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR> {
    return this.chain(
      'KSTREAM-MAPVALUES-',
      named,
      () => new KStreamMapValues(mapper),
      this.keySerde,
      undefined,
    );
  }

  /** Zero or more key/value pairs per record; a later aggregation repartitions. */
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: Named): KStream<KR, VR> {
    return this.chain(
      'KSTREAM-FLATMAP-',
      named,
      () => new KStreamFlatMap(mapper),
      undefined,
      undefined,
      true,
    );
  }

  /** Zero or more values per record, each keeping the record's key. */
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR> {
    return this.chain(
      'KSTREAM-FLATMAPVALUES-',
      named,
      () => new KStreamFlatMapValues(mapper),
      this.keySerde,
      undefined,
    );
  }

  /** A new key per record; a later aggregation repartitions. */
  selectKey<KR>(selector: (key: K, value: V) => KR, named?: Named): KStream<KR, V> {
    return this.chain(
      'KSTREAM-KEY-SELECT-',
      named,
      () => new KStreamSelectKey(selector),
      undefined,
      this.valueSerde,
      true,
    );
  }

  /** Calls `action` for each record and passes the record on. */
  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V> {
    return this.chain(
      'KSTREAM-PEEK-',
      named,
      () => new KStreamPeek(action, true),
      this.keySerde,
      this.valueSerde,
    );
  }

  /** Calls `action` for each record; a terminal operation. */
  foreach(action: (key: K, value: V) => void, named?: Named): void {
    this.chain(
      'KSTREAM-FOREACH-',
      named,
      () => new KStreamPeek(action, false),
      this.keySerde,
      this.valueSerde,
    );
  }

  /** Splits the stream by predicates; each record goes to the first branch whose predicate matches. */
  split(named?: Named): BranchedKStream<K, V> {
    return new BranchedKStream(this, named?.name ?? this.builder.newProcessorName('KSTREAM-BRANCH-'));
  }

  /** Both streams' records, each passed on as it arrives (the task orders its inputs by timestamp). */
  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    if (other.builder !== this.builder) {
      throw new TypeError('merge(): both streams must come from the same StreamsBuilder');
    }
    const name = named?.name ?? this.builder.newProcessorName('KSTREAM-MERGE-');
    const node = this.builder.addProcessor(
      { kind: 'processor', name, supplier: () => new PassThrough(), stores: [] },
      [this.node, other.node],
    );
    return new KStream<K, V>(
      this.builder,
      node,
      this.keySerde === other.keySerde ? this.keySerde : undefined,
      this.valueSerde === other.valueSerde ? this.valueSerde : undefined,
      this.repartitionRequired || other.repartitionRequired,
    );
  }

  /** Writes the stream to an internal topic `<name>-repartition` and reads it back: a new sub-topology. */
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V> {
    const name = repartitioned?.name ?? this.builder.newProcessorName('KSTREAM-REPARTITION-');
    const keySerde = repartitioned?.keySerde ?? this.keySerde;
    const valueSerde = repartitioned?.valueSerde ?? this.valueSerde;
    const fix = 'pass Repartitioned.with(keySerde, valueSerde) to repartition()';
    const source = addRepartitionNodes(this.builder, this.node, name, {
      keySerde,
      valueSerde,
      numberOfPartitions: repartitioned?.numberOfPartitions,
      partitioner: repartitioned?.partitioner as never,
      filterNullKeys: false,
      fix: { key: fix, value: fix },
      userNamed: repartitioned?.name !== undefined,
    });
    return new KStream<K, V>(this.builder, source, keySerde, valueSerde, false);
  }

  /** Writes every record to `topic`, or to the topic `extractor` picks per record. */
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void {
    const name = produced?.name ?? this.builder.newProcessorName('KSTREAM-SINK-');
    const target = typeof topic === 'string' ? `to('${topic}')` : 'to()';
    const fix = `pass Produced.with(keySerde, valueSerde) to ${target}`;
    this.builder.addSink(
      {
        kind: 'sink',
        name,
        topic: topic as string | TopicNameExtractor,
        keySerde: produced?.keySerde ?? this.keySerde,
        valueSerde: produced?.valueSerde ?? this.valueSerde,
        partitioner: produced?.partitioner as never,
        fix: { key: fix, value: fix },
      },
      [this.node],
    );
  }

  /** The stream read as a changelog: a table holding the latest value per key (a null value deletes). */
  toTable(named?: Named | Materialized<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    const [n, m] = named instanceof Named || named === undefined ? [named, materialized] : [undefined, named];
    const name = n?.name ?? this.builder.newProcessorName('KSTREAM-TOTABLE-');
    const storeName = m?.storeName ?? this.builder.newStoreName('KSTREAM-TOTABLE-');
    let parent = this.node;
    if (this.repartitionRequired) {
      const fix = 'pass Materialized.with(keySerde, valueSerde) to toTable()';
      parent = addRepartitionNodes(this.builder, this.node, name, {
        keySerde: m?.keySerde ?? this.keySerde,
        valueSerde: m?.valueSerde ?? this.valueSerde,
        numberOfPartitions: undefined,
        partitioner: undefined,
        filterNullKeys: true,
        fix: { key: fix, value: fix },
        userNamed: n !== undefined,
      });
    }
    const keySerde = m?.keySerde ?? this.keySerde;
    const valueSerde = m?.valueSerde ?? this.valueSerde;
    const fix = 'pass Materialized.with(keySerde, valueSerde) to toTable()';
    this.builder.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde,
      valueSerde,
      loggingEnabled: m?.loggingEnabled ?? true,
      logConfig: m?.logConfig ?? {},
      cachingEnabled: m?.cachingEnabled ?? true,
      dslStoreSuppliers: m?.dslStoreSuppliers,
      owner: name,
      fix: { key: fix, value: fix },
      global: false,
    });
    const node = this.builder.addProcessor(
      { kind: 'processor', name, supplier: () => new KTableSource<K, V>(storeName), stores: [storeName] },
      [parent],
    );
    return new KTable<K, V>(this.builder, node, keySerde, valueSerde, storeName);
  }

  /**
   * Runs a Processor API processor on each record. Name the stores it uses (added with
   * `StreamsBuilder.addStateStore`). The processor may change keys, so a later aggregation repartitions.
   */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...storeNames: string[]): KStream<KR, VR>;
  process<KR, VR>(
    supplier: ProcessorSupplier<K, V, KR, VR>,
    named: Named,
    ...storeNames: string[]
  ): KStream<KR, VR>;
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, ...args: (Named | string)[]): KStream<KR, VR> {
    const [named, stores] = splitNamed(args);
    const name = named?.name ?? this.builder.newProcessorName('KSTREAM-PROCESSOR-');
    const node = this.builder.addProcessor({ kind: 'processor', name, supplier: supplier as never, stores }, [
      this.node,
    ]);
    return new KStream<KR, VR>(this.builder, node, undefined, undefined, true);
  }

  /** Runs a value-only processor (it cannot change keys, so no repartition follows). */
  processValues<VR>(supplier: FixedKeyProcessorSupplier<K, V, VR>, ...storeNames: string[]): KStream<K, VR>;
  processValues<VR>(
    supplier: FixedKeyProcessorSupplier<K, V, VR>,
    named: Named,
    ...storeNames: string[]
  ): KStream<K, VR>;
  processValues<VR>(
    supplier: FixedKeyProcessorSupplier<K, V, VR>,
    ...args: (Named | string)[]
  ): KStream<K, VR> {
    const [named, stores] = splitNamed(args);
    const name = named?.name ?? this.builder.newProcessorName('KSTREAM-PROCESSVALUES-');
    const node = this.builder.addProcessor({ kind: 'processor', name, supplier: supplier as never, stores }, [
      this.node,
    ]);
    return new KStream<K, VR>(this.builder, node, this.keySerde, undefined, this.repartitionRequired);
  }

  /** Groups by the current key (repartitioning first if an earlier operator changed keys). */
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V> {
    return new KGroupedStream<K, V>(
      this.builder,
      this.node,
      grouped?.keySerde ?? this.keySerde,
      grouped?.valueSerde ?? this.valueSerde,
      this.repartitionRequired,
      grouped?.name,
    );
  }

  /** Groups by a new key; the aggregation repartitions by it. */
  groupBy<KR>(selector: (key: K, value: V) => KR, grouped?: Grouped<KR, V>): KGroupedStream<KR, V> {
    const node = this.builder.addProcessor(
      {
        kind: 'processor',
        name: this.builder.newProcessorName('KSTREAM-KEY-SELECT-'),
        supplier: () => new KStreamSelectKey(selector) as never,
        stores: [],
      },
      [this.node],
    );
    return new KGroupedStream<KR, V>(
      this.builder,
      node,
      grouped?.keySerde,
      grouped?.valueSerde ?? this.valueSerde,
      true,
      grouped?.name,
    );
  }

  /**
   * Inner join. With a stream: records whose timestamps differ within `windows` (output timestamp: the larger
   * of the two). With a table: each record joins the table's current value for its key (table updates do not
   * trigger). With a global table: each record joins the entry under `keySelector(key, value)`. Records without
   * a match produce nothing. A stream whose key was changed is repartitioned first (not for global tables).
   */
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR, K>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  join<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoiner<V, VT, VR, K>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  join<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: (key: K, value: V) => GK,
    joiner: ValueJoiner<V, GV, VR, K>,
    named?: Named,
  ): KStream<K, VR>;
  join<VR>(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, VR> {
    return this.anyJoin('join', other, a, b, c, false, false) as never;
  }

  /**
   * Left join: as `join`, but every left record produces a result, joined with null when nothing matches. For
   * a stream-stream join that null result is emitted only once the record's window has closed (stream time past
   * its timestamp + window after + grace), never eagerly.
   */
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO | null, VR, K>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VT, VR>(
    table: KTable<K, VT>,
    joiner: ValueJoiner<V, VT | null, VR, K>,
    joined?: Joined<K, V, VT>,
  ): KStream<K, VR>;
  leftJoin<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: (key: K, value: V) => GK,
    joiner: ValueJoiner<V, GV | null, VR, K>,
    named?: Named,
  ): KStream<K, VR>;
  leftJoin<VR>(other: unknown, a: unknown, b?: unknown, c?: unknown): KStream<K, VR> {
    return this.anyJoin('leftJoin', other, a, b, c, true, false) as never;
  }

  /** Outer stream-stream join: unmatched records of either side are joined with null once their window closes. */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V | null, VO | null, VR, K>,
    windows: JoinWindows,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return streamStreamJoin(
      this as never,
      other as never,
      joiner as never,
      windows,
      streamJoined as never,
      true,
      true,
    ) as never;
  }

  private anyJoin(
    operation: string,
    other: unknown,
    a: unknown,
    b: unknown,
    c: unknown,
    leftOuter: boolean,
    rightOuter: boolean,
  ): KStream<unknown, unknown> {
    if (other instanceof KStream) {
      return streamStreamJoin(
        this as never,
        other,
        a as never,
        b as never,
        c as never,
        leftOuter,
        rightOuter,
      );
    }
    if (other instanceof KTable)
      return streamTableJoin(this as never, other, a as never, b as never, leftOuter);
    if (other instanceof GlobalKTable) {
      return streamGlobalTableJoin(this as never, other, a as never, b as never, c as never, leftOuter);
    }
    throw new TypeError(`${operation}(): join with a KStream, a KTable or a GlobalKTable`);
  }

  private chain<KR, VR>(
    prefix: string,
    named: Named | undefined,
    supplier: () => unknown,
    keySerde: Serde<KR> | undefined,
    valueSerde: Serde<VR> | undefined,
    keyChanging = false,
  ): KStream<KR, VR> {
    const name = named?.name ?? this.builder.newProcessorName(prefix);
    const node = this.builder.addProcessor(
      { kind: 'processor', name, supplier: supplier as never, stores: [] },
      [this.node],
    );
    return new KStream<KR, VR>(
      this.builder,
      node,
      keySerde,
      valueSerde,
      keyChanging || this.repartitionRequired,
    );
  }
}

function splitNamed(args: readonly (Named | string)[]): [Named | undefined, string[]] {
  const [first, ...rest] = args;
  if (first instanceof Named) {
    return [first, rest.map((s) => String(s))];
  }
  return [undefined, args.map((s) => String(s))];
}
