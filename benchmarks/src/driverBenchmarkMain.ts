import { generatedBy, writeReport } from './benchmarkReport.js';
import { runDriverAggregationBenchmark } from './driverAggregationBenchmark.js';
import type { DriverBenchmarkResult } from './driverBenchmarkHarness.js';
import { runDriverEngineBenchmark } from './driverEngineBenchmark.js';
import { runDriverSerdeFloorBenchmark } from './driverSerdeFloorBenchmark.js';
import { runDriverStatelessBenchmark } from './driverStatelessBenchmark.js';

/**
 * Runs the TopologyTestDriver benchmarks and writes `docs/benchmarks/driver.md`. Reports only: it never fails
 * on time. Usage: `node benchmarks/dist/driverBenchmarkMain.js [records=2000000]`.
 */
const records = Number(process.argv[2] ?? 2_000_000);
const TARGET = 2_000_000;

function main(): void {
  process.stdout.write(`TopologyTestDriver benchmarks, ${records.toLocaleString('en-US')} records each\n`);
  // a short warm-up so the JIT has seen the hot path
  runDriverStatelessBenchmark(50_000);
  runDriverAggregationBenchmark(50_000);
  runDriverEngineBenchmark(50_000);
  runDriverSerdeFloorBenchmark(50_000);
  const results: DriverBenchmarkResult[] = [
    runDriverStatelessBenchmark(records),
    runDriverAggregationBenchmark(records),
    runDriverEngineBenchmark(records),
    // a ceiling, so the best of three runs (a loaded machine only makes it look lower)
    [1, 2, 3]
      .map(() => runDriverSerdeFloorBenchmark(records))
      .reduce((best, r) => (r.recordsPerSecond > best.recordsPerSecond ? r : best)),
  ];
  const [stateless, , engine, floor] = results as [
    DriverBenchmarkResult,
    DriverBenchmarkResult,
    DriverBenchmarkResult,
    DriverBenchmarkResult,
  ];
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const nsPerRecord = (r: DriverBenchmarkResult): string => fmt((r.elapsedMs * 1e6) / r.records);
  const met = stateless.recordsPerSecond >= TARGET;
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.description} | ${r.records.toLocaleString('en-US')} | ${r.outputRecords.toLocaleString('en-US')} | ` +
      `${(r.elapsedMs / 1000).toFixed(2)} | **${Math.round(r.recordsPerSecond).toLocaleString('en-US')}** |`,
  );
  const markdown = [
    '# TopologyTestDriver throughput',
    '',
    generatedBy('driverBenchmarkMain.ts', 'other processes share the cores (numbers vary with load)'),
    '',
    'Each driver run pipes records one at a time through `TestInputTopic.pipeInput` (serialize, partition, process',
    'synchronously through the same `StreamTask` as production, commit after every record) and reads the output',
    'topic every 100 000 records. The `engine` row runs the same chain on one StreamTask without the driver',
    '(pre-serialized input in batches of 1 000, a producer port that only counts), which is what the Kafka runtime',
    'does after a poll. The `serde floor` row is no topology at all: only the String conversions the stateless row',
    'must do per record (serialize key and value into the input topic, deserialize them in the source, serialize',
    'them in the sink, deserialize them from the output topic) and the two string operators; best of three runs.',
    '',
    `**Target for the stateless chain: ${fmt(TARGET)} rec/s (${fmt(1e9 / TARGET)} ns per record) — ${met ? 'met' : 'not met'}: ` +
      `${fmt(stateless.recordsPerSecond)} rec/s, ${nsPerRecord(stateless)} ns per record.** Report only.`,
    '',
    '| benchmark | topology | records in | records out | seconds | records/s |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
    '## What limits the rate',
    '',
    `- **The serdes set a ceiling.** The conversions alone take ${nsPerRecord(floor)} ns per record here (the serde-floor`,
    `  row), so the stateless row cannot exceed ~${fmt(floor.recordsPerSecond)} rec/s on this machine whatever the driver`,
    `  does; it reaches ${Math.round((stateless.recordsPerSecond / floor.recordsPerSecond) * 100)}% of that. \`Buffer.from(string)\` costs two native calls plus a Buffer object`,
    '  (~150-250 ns for the 40-50 byte values), `toString()` ~80-100 ns, and a Buffer object alone ~50-100 ns.',
    `- **The driver adds the rest** (${fmt(((stateless.elapsedMs - floor.elapsedMs) * 1e6) / stateless.records)} ns per record). CPU profiles (\`node --cpu-prof\`) of the stateless`,
    '  row: the serdes ~40% (dearer inside the driver than in the tight floor loop: colder caches, no inlining),',
    '  garbage collection ~11-15%, reading the output ~15% (per record an OutputRecord and a Headers; String keys',
    '  and values are decoded from the output log without a view; `readRecordsToList` builds lists of 100 000',
    '  records, which live long enough to be promoted), the',
    "  driver's routing, in-memory topics and output log ~15%, the task and the five processors ~10%, the",
    '  benchmark loop ~5%; no single function above ~9%. Each record allocates about 800 bytes, mostly Buffer',
    '  objects (~100 bytes each: 2 from the input topic, 2 from the sink) and the strings and',
    '  Records the operators create.',
    `- **The engine row** (no driver: no input serialization, no output log, no output deserialization) does half`,
    `  of the conversions and runs at ${nsPerRecord(engine)} ns per record — roughly what a stream thread pays per record after a poll.`,
    '- **The aggregation** additionally converts the key and the Int64 count in the store layers (get, put, cache',
    '  flush to the in-memory store, flush listener) and forwards each update through the cache flush on every',
    '  per-record commit; its two hash-map lookups per record on 10 000 keys miss the CPU caches on this shared machine.',
    '',
    `The target (${fmt(1e9 / TARGET)} ns per record) is out of reach for this design on this machine: the conversions alone`,
    `take ${((floor.elapsedMs * 1e6) / floor.records / (1e9 / TARGET)).toFixed(1)}× that. It would need a serde API that encodes into a caller-owned buffer` +
      ' (no Buffer object per record) and output topics',
    'that hand records to the test without a per-record object graph. The benchmark',
    'keeps real serdes on every record, in and out, and reads every output record.',
    '',
    '## Before the hot-path work',
    '',
    'The previous version of this file (commit db5076d, load 32) measured 249,465 rec/s (stateless), 112,703',
    '(aggregation) and 534,684 (engine). Single runs on this shared machine vary by ±30%, so the old and the new',
    'build were also compared in one process, both warmed with all the benchmarks as here, alternating (medians',
    'of 7 rounds): stateless 182k → 311k rec/s (+70%), aggregation 88k → 135k (+54%), engine 646k → 693k (+7%,',
    'within the noise); an earlier session without the mixed warm-up gave +50% / +57% / +12%.',
    'What changed: the output log stores bytes instead',
    'of objects (the unread output was promoted by every scavenge: scavenge time 1.26 s → 0.41 s per million',
    'records); no per-record topic-partition strings, offset arrays, Map iterators or ProducerRecord copies in the',
    'driver and task; Headers allocate their array on first use; Int64 without BigInt; the record cache keeps its',
    'LRU and dirty order in linked lists; the stores convert a key read and then written only once.',
    '',
  ].join('\n');
  writeReport('driver', markdown);
}

main();
