import { Serdes } from '@tributary/core';
import { Consumed, Materialized, Produced, StreamsBuilder } from '@tributary/dsl';
import { TopologyTestDriver } from '@tributary/test-driver';
import { type DriverBenchmarkResult, pipeAndMeasure } from './driverBenchmarkHarness.js';

/**
 * An in-memory key-value aggregation in the TopologyTestDriver: groupByKey → count over 10 000 keys in an
 * in-memory store (changelog off: the driver would otherwise keep every changelog record in memory), the
 * updates written to an output topic. The driver commits after every piped record (its default).
 */
export function runDriverAggregationBenchmark(records: number): DriverBenchmarkResult {
  const S = Serdes.String();
  const L = Serdes.Int64();
  const builder = new StreamsBuilder();
  builder
    .stream('orders', Consumed.with(S, S))
    .groupByKey()
    .count(
      Materialized.as<string, number>('orders-per-user')
        .withKeySerde(S)
        .withValueSerde(L)
        .withLoggingDisabled(),
    )
    .toStream()
    .to('orders-per-user', Produced.with(S, L));
  const driver = new TopologyTestDriver(builder.build(), { applicationId: 'bench-aggregation' });
  const input = driver.createInputTopic('orders', S, S);
  const output = driver.createOutputTopic('orders-per-user', S, L);
  const result = pipeAndMeasure(
    'aggregation',
    'groupByKey → count (in-memory KV store, 10 000 keys, no changelog) → toStream → to',
    records,
    input,
    output,
  );
  const store = driver.getKeyValueStore<string, number>('orders-per-user');
  const total = [...store.all()].reduce((sum, e) => sum + e.value, 0);
  driver.close();
  if (total !== records) throw new Error(`counted ${total} records, piped ${records}`);
  return result;
}
