import {
  BufferConfig,
  Consumed,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type Topology,
} from '@tributary/streams';

/**
 * Tributary's topologies for the side-by-side benchmark, as a topology module: stream-thread processes import
 * it and call `buildTopology()` with no arguments, so it reads BENCH_WORKLOAD, BENCH_INPUT, BENCH_OUTPUT and
 * BENCH_TABLE from the environment. (Its own file: a module importing itself while its top-level await is
 * pending would never finish loading.)
 */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`tributaryApp needs the environment variable ${name}`);
  return value;
}

export function buildTopology(): Topology {
  const workload = env('BENCH_WORKLOAD');
  const input = env('BENCH_INPUT');
  const output = env('BENCH_OUTPUT');
  // Stateful workloads keep their state in RocksDB, with a changelog, as Kafka Streams does by default.
  const builder = new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers });
  switch (workload) {
    case 'p1':
      builder
        .stream(input, Consumed.with(Serdes.Bytes(), Serdes.String()))
        .filter((_key, value) => !value.startsWith('#'))
        .mapValues((value) => value.toUpperCase())
        .to(output, Produced.with(Serdes.Bytes(), Serdes.String()));
      break;
    case 'p2':
      builder
        .stream(input, Consumed.with(Serdes.String(), Serdes.Bytes()))
        .groupByKey()
        .count(Materialized.as<string, number>('counts'))
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
      break;
    case 'p3':
      builder
        .stream(input, Consumed.with(Serdes.String(), Serdes.Bytes()))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
        .count(Materialized.as<string, number>('window-counts'))
        .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
        .toStream()
        .map((windowed, count) => ({ key: windowed.key, value: `${windowed.window.start}:${count}` }))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
      break;
    case 'p4': {
      const table = builder.table(env('BENCH_TABLE'), Consumed.with(Serdes.String(), Serdes.String()));
      builder
        .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .join(table, (value: string, row: string) => `${row}|${value}`)
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
      break;
    }
    default:
      throw new Error(`unknown workload ${workload}; use p1, p2, p3 or p4`);
  }
  return builder.build();
}
