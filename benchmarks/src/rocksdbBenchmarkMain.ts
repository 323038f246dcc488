import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '@tributary/core';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder, TimeWindows } from '@tributary/dsl';
import { RocksDBDslStoreSuppliers } from '@tributary/rocksdb';
import { type DslStoreSuppliers, InMemoryDslStoreSuppliers } from '@tributary/state';
import { TopologyTestDriver } from '@tributary/test-driver';
import { generatedBy, writeReport } from './benchmarkReport.js';
import { benchmarkKeys, type DriverBenchmarkResult, pipeAndMeasure } from './driverBenchmarkHarness.js';
import { renderBarChartPng } from './renderBarChartPng.js';

/**
 * The cost of RocksDB stores against in-memory stores, measured in the same run on the same topologies in the
 * TopologyTestDriver: a tumbling-window count and a stream-table join, each with the driver's per-record
 * commit (every record's writes go to disk with a checkpoint) and with a commit every 10,000 records (as a
 * commit interval would). Report only; writes docs/benchmarks/rocksdb.md and rocksdb.png.
 * Usage: node benchmarks/dist/rocksdbBenchmarkMain.js [records=1000000]
 */
const records = Number(process.argv[2] ?? 1_000_000);
const S = Serdes.String();
const WINDOW_MS = 60_000;
const COMMIT_EVERY = 10_000;

interface Variant {
  readonly store: 'in-memory' | 'rocksdb';
  readonly perRecord: boolean;
}

function withDriver<T>(
  build: (suppliers: DslStoreSuppliers) => StreamsBuilder,
  variant: Variant,
  run: (driver: TopologyTestDriver) => T,
): T {
  const stateDir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const suppliers = variant.store === 'rocksdb' ? RocksDBDslStoreSuppliers : InMemoryDslStoreSuppliers;
  const driver = new TopologyTestDriver(build(suppliers).build(), {
    applicationId: 'bench-rocksdb',
    stateDir,
    commit: variant.perRecord ? 'after-each-record' : 'manual',
  });
  try {
    return run(driver);
  } finally {
    driver.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function label(name: string, variant: Variant): string {
  return `${name}, ${variant.store}, ${variant.perRecord ? 'commit per record' : `commit every ${COMMIT_EVERY.toLocaleString('en-US')}`}`;
}

function windowedCount(n: number, variant: Variant): DriverBenchmarkResult {
  const build = (suppliers: DslStoreSuppliers) => {
    const builder = new StreamsBuilder({ dslStoreSuppliers: suppliers });
    builder
      .stream('clicks', Consumed.with(S, S))
      .groupByKey(Grouped.with(S, S))
      .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_MS, 5_000))
      .count(Materialized.as<string, number>('clicks-per-minute').withRetention(WINDOW_MS + 5_000))
      .toStream()
      .to('clicks-per-minute', Produced.with(Serdes.TimeWindowed(S, WINDOW_MS), Serdes.Int64()));
    return builder;
  };
  return withDriver(build, variant, (driver) =>
    pipeAndMeasure(
      label('windowed count', variant),
      'groupByKey → windowedBy(1 min tumbling, 5 s grace) → count (cached) → to',
      n,
      driver.createInputTopic('clicks', S, S),
      driver.createOutputTopic('clicks-per-minute', Serdes.TimeWindowed(S, WINDOW_MS), Serdes.Int64()),
      100_000,
      variant.perRecord ? undefined : { records: COMMIT_EVERY, run: () => driver.commit() },
    ),
  );
}

function streamTableJoin(n: number, variant: Variant): DriverBenchmarkResult {
  const build = (suppliers: DslStoreSuppliers) => {
    const builder = new StreamsBuilder({ dslStoreSuppliers: suppliers });
    const customers = builder.table(
      'customers',
      Consumed.with(S, S),
      Materialized.as<string, string>('customers'),
    );
    builder
      .stream('orders', Consumed.with(S, S))
      .join(customers, (order, customer) => `${customer}|${order}`)
      .to('enriched-orders', Produced.with(S, S));
    return builder;
  };
  return withDriver(build, variant, (driver) => {
    const table = driver.createInputTopic('customers', S, S);
    for (const key of benchmarkKeys) table.pipeInput(key, `customer ${key}`, 0);
    driver.commit();
    return pipeAndMeasure(
      label('stream-table join', variant),
      `stream.join(table of ${benchmarkKeys.length.toLocaleString('en-US')} rows) → to`,
      n,
      driver.createInputTopic('orders', S, S),
      driver.createOutputTopic('enriched-orders', S, S),
      100_000,
      variant.perRecord ? undefined : { records: COMMIT_EVERY, run: () => driver.commit() },
    );
  });
}

const VARIANTS: readonly Variant[] = [
  { store: 'in-memory', perRecord: true },
  { store: 'rocksdb', perRecord: true },
  { store: 'in-memory', perRecord: false },
  { store: 'rocksdb', perRecord: false },
];

function main(): void {
  process.stdout.write(
    `RocksDB vs in-memory stores in the TopologyTestDriver, ${records.toLocaleString('en-US')} records each\n`,
  );
  for (const v of VARIANTS) windowedCount(20_000, v); // warm-up
  const results: { result: DriverBenchmarkResult; baseline: DriverBenchmarkResult | undefined }[] = [];
  for (const benchmark of [windowedCount, streamTableJoin]) {
    const byVariant = VARIANTS.map((v) => ({ v, result: benchmark(records, v) }));
    for (const { v, result } of byVariant) {
      const baseline = byVariant.find((b) => b.v.store === 'in-memory' && b.v.perRecord === v.perRecord);
      results.push({ result, baseline: v.store === 'rocksdb' ? baseline?.result : undefined });
    }
  }
  const rows = results.map(
    ({ result: r, baseline }) =>
      `| ${r.name} | ${r.records.toLocaleString('en-US')} | ${r.outputRecords.toLocaleString('en-US')} | ` +
      `${(r.elapsedMs / 1000).toFixed(2)} | **${Math.round(r.recordsPerSecond).toLocaleString('en-US')}** | ` +
      `${baseline === undefined ? '' : (r.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)} |`,
  );
  const markdown = [
    '# RocksDB stores against in-memory stores (TopologyTestDriver)',
    '',
    generatedBy('rocksdbBenchmarkMain.ts'),
    '',
    'The same topologies with every DSL store in memory or in RocksDB (`RocksDBDslStoreSuppliers`), in one run.',
    'RocksDB stores buffer their writes until the commit and then write them with the changelog checkpoint in',
    'one batch: with the driver committing after every record that is one RocksDB write batch per record; with a',
    `commit every ${COMMIT_EVERY.toLocaleString('en-US')} records, one batch per ${COMMIT_EVERY.toLocaleString('en-US')} records (reads in between are served`,
    'from the buffer or the database). The ratio compares each RocksDB row with the in-memory row of the same',
    'commit mode. Report only.',
    '',
    '| benchmark | records in | records out | seconds | records/s | RocksDB / in-memory |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '![rocksdb](rocksdb.png)',
    '',
  ].join('\n');
  writeReport('rocksdb', markdown, {
    file: 'rocksdb.png',
    png: renderBarChartPng(
      `RocksDB vs in-memory stores in the driver, ${records.toLocaleString('en-US')} records`,
      'rec/s',
      results.map(({ result: r }) => ({
        label: r.name
          .replace('windowed count', 'count')
          .replace('stream-table join', 'join')
          .replace('commit ', ''),
        value: r.recordsPerSecond,
      })),
    ),
  });
}

main();
