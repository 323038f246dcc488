import { Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';

// The word count of the README's "Using it" section, run as the README shows.
describe('README example', () => {
  it('counts words through a repartition over 4 partitions', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('lines', Consumed.with(Serdes.String(), Serdes.String()))
      .flatMapValues((line) => line.toLowerCase().split(/\W+/))
      .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
      .count(Materialized.as<string, number>('counts'))
      .toStream()
      .to('word-counts', Produced.with(Serdes.String(), Serdes.Int64()));
    const driver = new TopologyTestDriver(builder.build(), { defaultPartitions: 4 });
    driver.createInputTopic('lines', Serdes.String(), Serdes.String()).pipeInput('k', 'a b a', 1_000);
    const counts = driver
      .createOutputTopic('word-counts', Serdes.String(), Serdes.Int64())
      .readKeyValuesToMap();
    expect(counts).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
    driver.close();
  });
});
