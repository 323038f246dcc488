import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder } from '../src/index.js';

const strings = { defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String() };

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
    const builder = new StreamsBuilder();
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
});
