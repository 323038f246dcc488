import { type ConsumerRecord, Headers, type ProducerRecord, Serdes, TaskId } from '@tributary/core';
import { Consumed, Produced, StreamsBuilder } from '@tributary/dsl';
import { DefaultRecordCollector, type RecordProducer, StreamTask } from '@tributary/runtime';
import { benchmarkKeys, benchmarkValues, type DriverBenchmarkResult } from './driverBenchmarkHarness.js';

/**
 * The same 5-operator chain as the stateless driver benchmark, but fed to one StreamTask directly in batches
 * of 1 000 pre-serialized ConsumerRecords (as a stream thread would after a poll), with a producer port that
 * only counts: the engine's per-record cost without the driver's serialize-and-pipe of every input.
 */
export function runDriverEngineBenchmark(records: number): DriverBenchmarkResult {
  const S = Serdes.String();
  const builder = new StreamsBuilder();
  builder
    .stream('orders', Consumed.with(S, S))
    .filter((_key, value) => value.length > 0)
    .mapValues((value) => value.toUpperCase())
    .filterNot((_key, value) => value.includes('CANCELLED'))
    .peek(() => {})
    .mapValues((value) => value.slice(1, -1))
    .to('accepted-orders', Produced.with(S, S));
  let produced = 0;
  const producer: RecordProducer = {
    send(_record: ProducerRecord) {
      produced++;
    },
    partitionsFor: () => 8,
    flush() {},
  };
  const task = new StreamTask({
    applicationId: 'bench-engine',
    taskId: new TaskId(0, 0),
    topology: builder.build(),
    inputPartitions: [{ topic: 'orders', partition: 0 }],
    collector: new DefaultRecordCollector(producer),
    clock: { now: () => 0 },
  });
  task.initialize();
  const keyBytes = benchmarkKeys.map((k) => Buffer.from(k));
  const valueBytes = benchmarkValues.map((v) => Buffer.from(v));
  const batchSize = 1_000;
  const progressEvery = Math.max(batchSize, Math.floor(records / 10 / batchSize) * batchSize);
  const start = performance.now();
  for (let offset = 0; offset < records; ) {
    const batch: ConsumerRecord[] = [];
    for (let i = 0; i < batchSize && offset < records; i++, offset++) {
      batch.push({
        topic: 'orders',
        partition: 0,
        offset,
        key: keyBytes[offset % keyBytes.length]!,
        value: valueBytes[offset % valueBytes.length]!,
        timestamp: offset,
        headers: new Headers(),
      });
    }
    task.addRecords({ topic: 'orders', partition: 0 }, batch);
    while (task.process(0)) {}
    task.prepareCommit();
    task.postCommit();
    if (offset % progressEvery === 0) process.stdout.write(`  engine: ${offset}/${records} records\n`);
  }
  const elapsedMs = performance.now() - start;
  task.suspend();
  task.closeClean();
  return {
    name: 'engine',
    description: 'same chain, one StreamTask fed batches of 1 000 pre-serialized records (no driver)',
    records,
    outputRecords: produced,
    elapsedMs,
    recordsPerSecond: (records / elapsedMs) * 1000,
  };
}
