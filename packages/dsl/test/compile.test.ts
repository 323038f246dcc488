import { type Record, Serdes, TopologyError } from '@tributary/core';
import { Stores } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import {
  Branched,
  Consumed,
  Grouped,
  Materialized,
  Named,
  type ProcessorContext,
  Produced,
  Repartitioned,
  StreamsBuilder,
  type Topology,
} from '../src/index.js';
import { storeDefaults } from './driverHarness.js';

const S = Serdes.String();
const defaults = { defaultKeySerde: S, defaultValueSerde: S, ...storeDefaults };

function nodeNames(topology: Topology): string[][] {
  return topology.subtopologies.map((s) => [...s.nodes.keys()]);
}

const identity = () => ({
  context: undefined as ProcessorContext<string, string> | undefined,
  init(context: ProcessorContext<string, string>) {
    this.context = context;
  },
  process(record: Record<string, string>) {
    this.context!.forward(record);
  },
});

describe('StreamsBuilder.build()', () => {
  it('names nodes from one counter and keeps a stateless chain in one sub-topology', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .filter((_k, v) => v !== '')
      .filterNot((_k, v) => v === 'x')
      .map((k, v) => ({ key: v, value: k }))
      .flatMap((k, v) => [{ key: k, value: v }])
      .flatMapValues((v) => [v])
      .selectKey((k) => k)
      .peek(() => {})
      .mapValues((v) => v)
      .foreach(() => {});
    const topology = builder.build();
    expect(nodeNames(topology)).toEqual([
      [
        'KSTREAM-SOURCE-0000000000',
        'KSTREAM-FILTER-0000000001',
        'KSTREAM-FILTER-0000000002',
        'KSTREAM-MAP-0000000003',
        'KSTREAM-FLATMAP-0000000004',
        'KSTREAM-FLATMAPVALUES-0000000005',
        'KSTREAM-KEY-SELECT-0000000006',
        'KSTREAM-PEEK-0000000007',
        'KSTREAM-MAPVALUES-0000000008',
        'KSTREAM-FOREACH-0000000009',
      ],
    ]);
    expect(topology.subtopologies[0]!.sourceTopics).toEqual(['in']);
    expect(topology.internalTopics.size).toBe(0);
    expect(topology.copartitionGroups).toEqual([]);
  });

  it('uses Named, Consumed and Produced names instead of generated ones', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream('in', Consumed.as('read-in'))
      .mapValues((v) => v, Named.as('upper'))
      .to('out', Produced.as('write-out'));
    expect(nodeNames(builder.build())).toEqual([['read-in', 'upper', 'write-out']]);
  });

  it('inserts a repartition topic between selectKey and an aggregation, named after the store', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .selectKey((_k, v) => v)
      .groupByKey()
      .count()
      .toStream()
      .to('out', Produced.valueSerde(Serdes.Int64()));
    const topology = builder.build();
    expect(nodeNames(topology)).toEqual([
      [
        'KSTREAM-SOURCE-0000000000',
        'KSTREAM-KEY-SELECT-0000000001',
        'KSTREAM-FILTER-0000000005',
        'KSTREAM-SINK-0000000004',
      ],
      [
        'KSTREAM-SOURCE-0000000006',
        'KSTREAM-AGGREGATE-0000000003',
        'KTABLE-TOSTREAM-0000000007',
        'KSTREAM-SINK-0000000008',
      ],
    ]);
    const [first, second] = topology.subtopologies;
    expect(first!.sourceTopics).toEqual(['in']);
    expect(second!.sourceTopics).toEqual(['KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition']);
    expect(second!.storeNames).toEqual(['KSTREAM-AGGREGATE-STATE-STORE-0000000002']);
    expect([...topology.internalTopics.values()]).toEqual([
      {
        name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition',
        kind: 'repartition',
        numberOfPartitions: undefined,
        config: { 'cleanup.policy': 'delete' },
      },
      {
        name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog',
        kind: 'changelog',
        numberOfPartitions: undefined,
        config: { 'cleanup.policy': 'compact' },
      },
    ]);
    expect(topology.copartitionGroups).toEqual([
      [
        'KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition',
        'KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog',
      ],
    ]);
    expect([...topology.storeBuilders.keys()]).toEqual(['KSTREAM-AGGREGATE-STATE-STORE-0000000002']);
    expect(topology.resolveTopic('app', 'KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition')).toBe(
      'app-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition',
    );
    expect(topology.resolveTopic('app', 'out')).toBe('out');
  });

  it('does not repartition groupByKey without a key change, and names the topic after Grouped', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .reduce((a, b) => a + b, Materialized.as('sums'));
    const direct = builder.build();
    expect(direct.subtopologies).toHaveLength(1);
    expect([...direct.internalTopics.keys()]).toEqual(['sums-changelog']);

    const grouped = new StreamsBuilder(defaults);
    grouped
      .stream<string, string>('in')
      .groupBy((_k, v) => v, Grouped.as('by-value'))
      .count();
    const topology = grouped.build();
    expect(nodeNames(topology)).toEqual([
      [
        'KSTREAM-SOURCE-0000000000',
        'KSTREAM-KEY-SELECT-0000000001',
        'by-value-repartition-filter',
        'by-value-repartition-sink',
      ],
      ['by-value-repartition-source', 'KSTREAM-AGGREGATE-0000000003'],
    ]);
    expect([...topology.internalTopics.keys()]).toEqual([
      'by-value-repartition',
      'KSTREAM-AGGREGATE-STATE-STORE-0000000002-changelog',
    ]);
  });

  it('keeps no changelog for a store with logging disabled', () => {
    const builder = new StreamsBuilder(defaults);
    builder.stream('in').groupByKey().count(Materialized.as<string, number>('counts').withLoggingDisabled());
    const topology = builder.build();
    expect(topology.internalTopics.size).toBe(0);
    expect(topology.storeBuilders.get('counts')!.logConfig.enabled).toBe(false);
  });

  it('splits at an explicit repartition() with a fixed partition count', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .repartition(Repartitioned.as<string, string>('rekeyed').withNumberOfPartitions(6))
      .to('out');
    const topology = builder.build();
    expect(nodeNames(topology)).toEqual([
      ['KSTREAM-SOURCE-0000000000', 'rekeyed-repartition-sink'],
      ['rekeyed-repartition-source', 'KSTREAM-SINK-0000000004'],
    ]);
    expect(topology.internalTopics.get('rekeyed-repartition')!.numberOfPartitions).toBe(6);
  });

  it('names split branches <split><branch> and returns them in a map', () => {
    const builder = new StreamsBuilder(defaults);
    const consumed: string[] = [];
    const branches = builder
      .stream<string, string>('in')
      .split()
      .branch((_k, v) => v === 'a')
      .branch((_k, v) => v === 'b', Branched.as('-b'))
      .branch(
        (_k, v) => v === 'c',
        Branched.withConsumer((s) => {
          consumed.push('c');
          s.to('c-out');
        }),
      )
      .branch(
        (_k, v) => v === 'd',
        Branched.withFunction((s) => s.mapValues((v) => v)),
      )
      .defaultBranch();
    expect([...branches.keys()]).toEqual([
      'KSTREAM-BRANCH-00000000011',
      'KSTREAM-BRANCH-0000000001-b',
      'KSTREAM-BRANCH-00000000014',
      'KSTREAM-BRANCH-00000000010',
    ]);
    expect(consumed).toEqual(['c']);
    expect(nodeNames(builder.build())[0]).toEqual([
      'KSTREAM-SOURCE-0000000000',
      'KSTREAM-BRANCH-0000000001',
      'KSTREAM-BRANCH-00000000011',
      'KSTREAM-BRANCH-0000000001-b',
      'KSTREAM-BRANCH-00000000013',
      'KSTREAM-SINK-0000000005',
      'KSTREAM-BRANCH-00000000014',
      'KSTREAM-MAPVALUES-0000000007',
      'KSTREAM-BRANCH-00000000010',
    ]);
  });

  it('joins processors sharing a store from independent sources into one sub-topology', () => {
    const builder = new StreamsBuilder(defaults);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('shared'), S, S));
    builder.stream('a').process(identity, 'shared');
    builder.stream('b').process(identity, 'shared');
    const topology = builder.build();
    expect(topology.subtopologies).toHaveLength(1);
    expect(topology.subtopologies[0]!.sourceTopics).toEqual(['a', 'b']);
    expect(topology.copartitionGroups).toEqual([['a', 'b', 'shared-changelog']]);
  });

  it('fills globalStores from globalTable() without a changelog', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.globalTable('customers', undefined, Materialized.as('customers-store'));
    builder.stream('in').to('out');
    const topology = builder.build();
    expect(table.queryableStoreName).toBe('customers-store');
    expect(topology.globalStores).toHaveLength(1);
    const global = topology.globalStores[0]!;
    expect(global.source.topics).toEqual(['customers']);
    expect(global.processorName).toBe('KTABLE-SOURCE-0000000001');
    expect(global.storeBuilder.name).toBe('customers-store');
    expect(global.storeBuilder.logConfig.enabled).toBe(false);
    expect(topology.subtopologies.map((s) => s.id)).toEqual([1]);
    expect(topology.internalTopics.size).toBe(0);
  });
});

describe('TopologyError', () => {
  it('names an unknown store passed to process()', () => {
    const builder = new StreamsBuilder(defaults);
    builder.stream('in').process(identity, 'missing');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Processor 'KSTREAM-PROCESSOR-0000000001' uses store 'missing', which is not in the topology: add it " +
          'with builder.addStateStore(storeBuilder) or fix the store name passed to process()/processValues() ' +
          '(known stores: none)',
      ),
    );
  });

  it('rejects a store used on both sides of a repartition', () => {
    const builder = new StreamsBuilder(defaults);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('shared'), S, S));
    builder.stream('in').process(identity, 'shared').repartition().process(identity, 'shared');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Store 'shared' is connected to processors in two sub-topologies: 'KSTREAM-PROCESSOR-0000000001' " +
          "(reading [in]) and 'KSTREAM-PROCESSOR-0000000006' (reading [KSTREAM-REPARTITION-0000000002-repartition]), " +
          'which a repartition topic separates. A store belongs to one task: give each side its own store, or ' +
          'move both processors to the same side of the repartition',
      ),
    );
  });

  it('rejects a sub-topology writing the topic it reads', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('loop')
      .mapValues((v) => `${v}!`)
      .to('loop');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Sink 'KSTREAM-SINK-0000000002' writes topic 'loop', which source 'KSTREAM-SOURCE-0000000000' of the " +
          'same sub-topology reads: a cycle through the same topic. Write to another topic, or use ' +
          'repartition() to pass records on by key',
      ),
    );
  });

  it('rejects a topic subscribed twice', () => {
    const builder = new StreamsBuilder(defaults);
    builder.stream('in').to('a');
    builder.stream(['other', 'in']).to('b');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Source 'KSTREAM-SOURCE-0000000002' subscribes to topic 'in', which source 'KSTREAM-SOURCE-0000000000' " +
          "already reads: read each topic once and reuse that stream or table (split or merge it instead of calling stream('in') again)",
      ),
    );
  });

  it('names the source and the Consumed to add when a source has no serde', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').to('out');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Source 'KSTREAM-SOURCE-0000000000' (topics: [in]) has no key serde and the StreamsBuilder has no " +
          "defaultKeySerde: pass Consumed.with(keySerde, valueSerde) to stream('in'), or pass defaultKeySerde " +
          'to new StreamsBuilder({ defaultKeySerde })',
      ),
    );
  });

  it('names the sink and the Produced to add when a mapped value has no serde', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', Consumed.with(S, S))
      .mapValues((v) => v.length)
      .to('out');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Sink 'KSTREAM-SINK-0000000002' (topic: out) has no value serde and the StreamsBuilder has no " +
          "defaultValueSerde: pass Produced.with(keySerde, valueSerde) to to('out'), or pass defaultValueSerde " +
          'to new StreamsBuilder({ defaultValueSerde })',
      ),
    );
  });

  it('names the store and the Materialized to add when an aggregate has no value serde', () => {
    const builder = new StreamsBuilder(storeDefaults);
    builder
      .stream('in', Consumed.with(S, S))
      .groupByKey()
      .aggregate(
        () => ({ total: 0 }),
        (_k, v, agg) => ({ total: agg.total + v.length }),
      );
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Store 'KSTREAM-AGGREGATE-STATE-STORE-0000000001' of processor 'KSTREAM-AGGREGATE-0000000002' has no " +
          'value serde and the StreamsBuilder has no defaultValueSerde: pass Materialized.with(keySerde, ' +
          'valueSerde) to aggregate(), or pass defaultValueSerde to new StreamsBuilder({ defaultValueSerde })',
      ),
    );
  });

  it('names the Grouped to add when a repartition has no key serde', () => {
    const builder = new StreamsBuilder(storeDefaults);
    builder
      .stream('in', Consumed.with(S, S))
      .selectKey((_k, v) => v.length)
      .groupByKey()
      .count(Materialized.with(Serdes.Int32(), Serdes.Int64()));
    expect(() => builder.build()).toThrow(
      new TopologyError(
        "Sink 'KSTREAM-SINK-0000000004' (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition) has no " +
          'key serde and the StreamsBuilder has no defaultKeySerde: pass Grouped.with(keySerde, valueSerde) to ' +
          'groupByKey()/groupBy() before count(), or pass defaultKeySerde to new StreamsBuilder({ defaultKeySerde })',
      ),
    );
  });

  it('rejects co-partitioned topics with different explicit partition counts', () => {
    const builder = new StreamsBuilder(defaults);
    const a = builder
      .stream<string, string>('a')
      .repartition(Repartitioned.as<string, string>('ra').withNumberOfPartitions(2));
    const c = builder
      .stream<string, string>('c')
      .repartition(Repartitioned.as<string, string>('rc').withNumberOfPartitions(3));
    a.merge(c).to('out');
    expect(() => builder.build()).toThrow(
      new TopologyError(
        'Co-partitioned topics [ra-repartition, rc-repartition] (read by sub-topology 2) have different ' +
          'explicit partition counts: ra-repartition=2, rc-repartition=3. Give them the same ' +
          'Repartitioned.numberOfPartitions(...), or leave the count out so it follows the group',
      ),
    );
  });

  it('rejects a node name used twice', () => {
    const builder = new StreamsBuilder(defaults);
    const stream = builder.stream('in').mapValues((v) => v, Named.as('same'));
    expect(() => stream.mapValues((v) => v, Named.as('same'))).toThrow(
      new TopologyError(
        "Node name 'same' is already used by another node; pass a different Named.as(...) " +
          '(or Consumed/Produced/Grouped/Repartitioned name)',
      ),
    );
  });

  it('rejects an illegal name', () => {
    expect(() => Named.as('has space')).toThrow(
      new TopologyError("Named 'has space' is not a legal name: use 1 to 249 characters from [a-zA-Z0-9._-]"),
    );
  });
});
