import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  Branched,
  Consumed,
  Grouped,
  Materialized,
  Named,
  Produced,
  Repartitioned,
  StreamsBuilder,
} from '../src/index.js';
import { storeDefaults } from './driverHarness.js';

const strings = { defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String(), ...storeDefaults };

describe('Topology.describe()', () => {
  it('prints a one sub-topology chain', () => {
    const builder = new StreamsBuilder(strings);
    builder
      .stream<string, string>('input')
      .mapValues((v) => v.toUpperCase())
      .to('output');
    expect(builder.build().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
        '      --> KSTREAM-MAPVALUES-0000000001\n' +
        '    Processor: KSTREAM-MAPVALUES-0000000001 (stores: [])\n' +
        '      --> KSTREAM-SINK-0000000002\n' +
        '      <-- KSTREAM-SOURCE-0000000000\n' +
        '    Sink: KSTREAM-SINK-0000000002 (topic: output)\n' +
        '      <-- KSTREAM-MAPVALUES-0000000001\n' +
        '\n',
    );
  });

  it('prints the word count example as Kafka Streams does', () => {
    const builder = new StreamsBuilder(storeDefaults);
    builder
      .stream('streams-plaintext-input', Consumed.with(Serdes.String(), Serdes.String()))
      .flatMapValues((line) => line.toLowerCase().split(/\W+/))
      .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
      .count(Materialized.as<string, number>('Counts'))
      .toStream()
      .to('streams-wordcount-output', Produced.with(Serdes.String(), Serdes.Int64()));
    expect(builder.build().describe().toString()).toBe(`Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000005
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000005 (stores: [])
      --> KSTREAM-SINK-0000000004
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000004 (topic: Counts-repartition)
      <-- KSTREAM-FILTER-0000000005

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [Counts-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [Counts])
      --> KTABLE-TOSTREAM-0000000007
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000007

`);
  });

  it('prints three sub-topologies with a split, a merge, a grouped count and a repartition verbatim', () => {
    const S = Serdes.String();
    const builder = new StreamsBuilder(strings);
    const branches = builder
      .stream<string, string>('orders')
      .filter((_k, v) => v.length > 0)
      .split(Named.as('route-'))
      .branch((_k, v) => v.startsWith('x'), Branched.as('express'))
      .defaultBranch(Branched.as('standard'));
    branches
      .get('route-express')!
      .merge(branches.get('route-standard')!.mapValues((v) => v.toUpperCase()))
      .selectKey((_k, v) => v.slice(0, 1))
      .groupByKey(Grouped.as('by-initial'))
      .count(Materialized.as<string, number>('initial-counts'))
      .toStream()
      .repartition(Repartitioned.with(S, Serdes.Int64()).withNumberOfPartitions(4))
      .to('initial-counts-out', Produced.with(S, Serdes.Int64()));
    const description = builder.build().describe();
    expect(description.toString()).toBe(`Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [orders])
      --> KSTREAM-FILTER-0000000001
    Processor: KSTREAM-FILTER-0000000001 (stores: [])
      --> route-
      <-- KSTREAM-SOURCE-0000000000
    Processor: route- (stores: [])
      --> route-standard, route-express
      <-- KSTREAM-FILTER-0000000001
    Processor: route-standard (stores: [])
      --> KSTREAM-MAPVALUES-0000000004
      <-- route-
    Processor: KSTREAM-MAPVALUES-0000000004 (stores: [])
      --> KSTREAM-MERGE-0000000005
      <-- route-standard
    Processor: route-express (stores: [])
      --> KSTREAM-MERGE-0000000005
      <-- route-
    Processor: KSTREAM-MERGE-0000000005 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000006
      <-- KSTREAM-MAPVALUES-0000000004, route-express
    Processor: KSTREAM-KEY-SELECT-0000000006 (stores: [])
      --> by-initial-repartition-filter
      <-- KSTREAM-MERGE-0000000005
    Processor: by-initial-repartition-filter (stores: [])
      --> by-initial-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000006
    Sink: by-initial-repartition-sink (topic: by-initial-repartition)
      <-- by-initial-repartition-filter

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000015 (topics: [KSTREAM-REPARTITION-0000000012-repartition])
      --> KSTREAM-SINK-0000000016
    Sink: KSTREAM-SINK-0000000016 (topic: initial-counts-out)
      <-- KSTREAM-SOURCE-0000000015

  Sub-topology: 2
    Source: by-initial-repartition-source (topics: [by-initial-repartition])
      --> KSTREAM-AGGREGATE-0000000007
    Processor: KSTREAM-AGGREGATE-0000000007 (stores: [initial-counts])
      --> KTABLE-TOSTREAM-0000000011
      <-- by-initial-repartition-source
    Processor: KTABLE-TOSTREAM-0000000011 (stores: [])
      --> KSTREAM-SINK-0000000013
      <-- KSTREAM-AGGREGATE-0000000007
    Sink: KSTREAM-SINK-0000000013 (topic: KSTREAM-REPARTITION-0000000012-repartition)
      <-- KTABLE-TOSTREAM-0000000011

`);
    // The JSON shape carries the same facts for a web view.
    const json = JSON.parse(JSON.stringify(description));
    expect(json.subtopologies.map((s: { id: number }) => s.id)).toEqual([0, 1, 2]);
    expect(json.subtopologies[1]).toEqual({
      id: 1,
      nodes: [
        {
          kind: 'source',
          name: 'KSTREAM-SOURCE-0000000015',
          topics: ['KSTREAM-REPARTITION-0000000012-repartition'],
          predecessors: [],
          successors: ['KSTREAM-SINK-0000000016'],
        },
        {
          kind: 'sink',
          name: 'KSTREAM-SINK-0000000016',
          topic: 'initial-counts-out',
          predecessors: ['KSTREAM-SOURCE-0000000015'],
          successors: [],
        },
      ],
    });
  });

  it('numbers global stores with the sub-topologies and prints a sink topic extractor', () => {
    const builder = new StreamsBuilder(strings);
    builder.globalTable('customers');
    builder.stream('a').to(function byKey(key) {
      return `out-${key}`;
    });
    builder.table('c').toStream().to('d');
    expect(builder.build().describe().toString()).toBe(`Topologies:
   Sub-topology: 0 for global store (will not generate tasks)
    Source: KSTREAM-SOURCE-0000000001 (topics: [customers])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [customers-STATE-STORE-0000000000])
      --> none
      <-- KSTREAM-SOURCE-0000000001
  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000003 (topics: [a])
      --> KSTREAM-SINK-0000000004
    Sink: KSTREAM-SINK-0000000004 (extractor class: byKey)
      <-- KSTREAM-SOURCE-0000000003

  Sub-topology: 2
    Source: KSTREAM-SOURCE-0000000006 (topics: [c])
      --> KTABLE-SOURCE-0000000007
    Processor: KTABLE-SOURCE-0000000007 (stores: [c-STATE-STORE-0000000005])
      --> KTABLE-TOSTREAM-0000000008
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KTABLE-SOURCE-0000000007
    Sink: KSTREAM-SINK-0000000009 (topic: d)
      <-- KTABLE-TOSTREAM-0000000008

`);
  });

  it('prints a pattern source with its regular expression', () => {
    const builder = new StreamsBuilder(strings);
    builder.stream(/orders-.*/).to('all-orders');
    expect(builder.build().describe().toString()).toBe(`Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: orders-.*)
      --> KSTREAM-SINK-0000000001
    Sink: KSTREAM-SINK-0000000001 (topic: all-orders)
      <-- KSTREAM-SOURCE-0000000000

`);
  });
});
