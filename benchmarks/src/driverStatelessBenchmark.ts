import { Serdes } from '@tributary/core';
import { Consumed, Produced, StreamsBuilder } from '@tributary/dsl';
import { TopologyTestDriver } from '@tributary/test-driver';
import { type DriverBenchmarkResult, pipeAndMeasure } from './driverBenchmarkHarness.js';

/**
 * A 5-operator stateless chain in the TopologyTestDriver: filter → mapValues → filterNot → peek → mapValues
 * → to, string keys and values (the serdes run on every record, in and out).
 */
export function runDriverStatelessBenchmark(records: number): DriverBenchmarkResult {
  const S = Serdes.String();
  const builder = new StreamsBuilder();
  let peeked = 0;
  builder
    .stream('orders', Consumed.with(S, S))
    .filter((_key, value) => value.length > 0)
    .mapValues((value) => value.toUpperCase())
    .filterNot((_key, value) => value.includes('CANCELLED'))
    .peek(() => {
      peeked++;
    })
    .mapValues((value) => value.slice(1, -1))
    .to('accepted-orders', Produced.with(S, S));
  const driver = new TopologyTestDriver(builder.build(), { applicationId: 'bench-stateless' });
  const input = driver.createInputTopic('orders', S, S);
  const output = driver.createOutputTopic('accepted-orders', S, S);
  const result = pipeAndMeasure(
    'stateless',
    'filter → mapValues → filterNot → peek → mapValues → to (String serdes)',
    records,
    input,
    output,
  );
  driver.close();
  if (peeked !== result.outputRecords) throw new Error(`peeked ${peeked} but read ${result.outputRecords}`);
  return result;
}
