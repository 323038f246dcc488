import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer, KafkaProducer, type TopicPartitionOffset } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import {
  Consumed,
  InMemoryDslStoreSuppliers,
  KafkaStreams,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '@tributary/streams';
import { generatedBy, writeReport } from './benchmarkReport.js';
import { renderBarChartPng } from './renderBarChartPng.js';

/**
 * Stateless filter+mapValues over N × 100-byte records on 8 partitions, on one broker, in one run:
 * a raw consume→transform→produce loop over the client (the baseline), then Tributary at_least_once and
 * exactly_once_v2; then a stateful count per key under exactly_once_v2 with its store in memory and in RocksDB;
 * then the processing stall when a second instance joins the group.
 * Reports only. Usage: node benchmarks/dist/kafkaThroughputBenchmark.js [records=2000000]
 * (KAFKA_BOOTSTRAP=host:port to use a running broker instead of starting one).
 */
const RECORDS = Number(process.argv[2] ?? 2_000_000);
const PARTITIONS = 8;
const COMMIT_INTERVAL_MS = 1_000;

interface Result {
  readonly name: string;
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

const log = (message: string) => process.stdout.write(`${message}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function value(i: number): Buffer {
  return Buffer.from(`order-${String(i).padStart(10, '0')}-`.padEnd(100, 'abcdefghij'));
}

async function createTopics(servers: string, names: string[]): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  await admin.createTopics(names.map((name) => ({ name, partitions: PARTITIONS })));
  admin.close();
}

async function produceInput(servers: string, topic: string): Promise<Result> {
  const producer = await KafkaProducer.connect({
    'bootstrap.servers': servers,
    'linger.ms': 20,
    'batch.size': 1_000_000,
  });
  const started = performance.now();
  const chunk = 50_000;
  for (let from = 0; from < RECORDS; from += chunk) {
    const records = [];
    for (let i = from; i < Math.min(RECORDS, from + chunk); i++) {
      records.push({
        topic,
        key: Buffer.from(`k${i % 10_000}`),
        value: value(i),
        timestamp: Date.now(),
        headers: new Headers(),
      });
    }
    await producer.sendAll(records);
    if ((from + chunk) % 500_000 === 0) log(`  produced ${fmt(from + chunk)} / ${fmt(RECORDS)}`);
  }
  await producer.flush();
  await producer.close();
  const seconds = (performance.now() - started) / 1000;
  return { name: 'producer (input)', seconds, recordsPerSecond: RECORDS / seconds };
}

/** Sum of end offsets of `topic` (read_committed: up to the last stable offset). */
async function endOffsetSum(
  admin: KafkaAdmin,
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted',
): Promise<number> {
  return (await admin.endOffsets(topic, isolation)).reduce((a, b) => a + b, 0);
}

async function waitForOutput(
  servers: string,
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted',
  label: string,
): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  let lastLog = 0;
  try {
    for (;;) {
      const done = await endOffsetSum(admin, topic, isolation);
      if (done >= RECORDS) return;
      if (Date.now() - lastLog > 2_000) {
        log(`  ${label}: ${fmt(done)} / ${fmt(RECORDS)}`);
        lastLog = Date.now();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    admin.close();
  }
}

/** The baseline: the client's consumer and producer in a loop doing the same work, committing every second. */
async function rawLoop(servers: string, input: string, output: string): Promise<Result> {
  const started = performance.now();
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': `raw-${randomUUID()}`,
    'auto.offset.reset': 'earliest',
    'partition.assignment.strategy': 'range',
  });
  const producer = await KafkaProducer.connect({
    'bootstrap.servers': servers,
    'linger.ms': 5,
    acks: 'all',
    'enable.idempotence': true,
  });
  consumer.subscribe([input]);
  const pending = new Map<string, TopicPartitionOffset>();
  let consumed = 0;
  let lastCommit = Date.now();
  let lastLog = 0;
  while (consumed < RECORDS) {
    const batch = await consumer.poll(5_000, 100);
    const out = [];
    for (const r of batch) {
      const text = r.value!.toString();
      if (!text.startsWith('#')) {
        out.push({
          topic: output,
          key: r.key,
          value: Buffer.from(text.toUpperCase()),
          timestamp: r.timestamp,
          headers: r.headers,
        });
      }
      pending.set(`${r.topic}-${r.partition}`, {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset + 1,
      });
    }
    await producer.sendAll(out);
    consumed += batch.length;
    if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
      await producer.flush();
      await consumer.commit([...pending.values()]);
      lastCommit = Date.now();
    }
    if (Date.now() - lastLog > 2_000) {
      log(`  raw loop: ${fmt(consumed)} / ${fmt(RECORDS)}`);
      lastLog = Date.now();
    }
  }
  await producer.flush();
  await consumer.commit([...pending.values()]);
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  await consumer.close();
  return { name: 'raw client loop (baseline)', seconds, recordsPerSecond: RECORDS / seconds };
}

function passThrough(input: string, output: string) {
  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.Bytes(), Serdes.String()))
    .filter((_key, text) => !text.startsWith('#'))
    .mapValues((text) => text.toUpperCase())
    .to(output, Produced.with(Serdes.Bytes(), Serdes.String()));
  return builder.build();
}

/** Counts records per key (10,000 keys), caching off so every record updates the store, its changelog and the output. */
function countPerKey(input: string, output: string, stores: 'in-memory' | 'rocksdb'): Topology {
  const builder = new StreamsBuilder({
    dslStoreSuppliers: stores === 'rocksdb' ? RocksDBDslStoreSuppliers : InMemoryDslStoreSuppliers,
  });
  builder
    .stream(input, Consumed.with(Serdes.String(), Serdes.Bytes()))
    .groupByKey()
    .count(Materialized.as<string, number>('counts').withCachingDisabled())
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
  return builder.build();
}

function streamsConfig(
  servers: string,
  guarantee: 'at_least_once' | 'exactly_once_v2',
  applicationId: string,
) {
  return {
    'application.id': applicationId,
    'bootstrap.servers': servers,
    'processing.guarantee': guarantee,
    'state.dir': join(tmpdir(), applicationId),
    ...(guarantee === 'at_least_once' ? { 'commit.interval.ms': COMMIT_INTERVAL_MS } : {}),
  };
}

async function tributary(
  servers: string,
  input: string,
  output: string,
  guarantee: 'at_least_once' | 'exactly_once_v2',
  name = `tributary ${guarantee}`,
  topology: Topology = passThrough(input, output),
): Promise<Result> {
  const applicationId = `bench-${guarantee}-${randomUUID().slice(0, 8)}`;
  const started = performance.now();
  const streams = new KafkaStreams(topology, streamsConfig(servers, guarantee, applicationId));
  await streams.start();
  await waitForOutput(
    servers,
    output,
    guarantee === 'exactly_once_v2' ? 'read_committed' : 'read_uncommitted',
    name,
  );
  const seconds = (performance.now() - started) / 1000;
  await streams.close();
  rmSync(join(tmpdir(), applicationId), { recursive: true, force: true });
  return { name, seconds, recordsPerSecond: RECORDS / seconds };
}

/**
 * Instance A processes the input; when it is a third through, instance B joins the group. Output progress is
 * sampled every 50 ms; the stall is the longest stretch without progress after B started.
 */
async function rebalanceStall(
  servers: string,
  input: string,
  output: string,
): Promise<{ stallMs: number; joinToRunningMs: number }> {
  const applicationId = `bench-stall-${randomUUID().slice(0, 8)}`;
  const topology = passThrough(input, output);
  const a = new KafkaStreams(topology, streamsConfig(servers, 'at_least_once', applicationId));
  const b = new KafkaStreams(passThrough(input, output), {
    ...streamsConfig(servers, 'at_least_once', applicationId),
    'state.dir': join(tmpdir(), `${applicationId}-b`),
  });
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  await a.start();
  let progress = 0;
  while (progress < RECORDS / 3) {
    progress = await endOffsetSum(admin, output, 'read_uncommitted');
    await new Promise((r) => setTimeout(r, 50));
  }
  const joined = performance.now();
  let runningAt = 0;
  b.state$.subscribe((s) => {
    if (s === 'RUNNING' && runningAt === 0) runningAt = performance.now();
  });
  await b.start();
  let last = progress;
  let lastChange = performance.now();
  let stall = 0;
  while (progress < RECORDS && performance.now() - joined < 60_000) {
    progress = await endOffsetSum(admin, output, 'read_uncommitted');
    const now = performance.now();
    if (progress > last) {
      stall = Math.max(stall, now - lastChange);
      last = progress;
      lastChange = now;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  admin.close();
  await Promise.all([a.close(), b.close()]);
  return { stallMs: stall, joinToRunningMs: runningAt > 0 ? runningAt - joined : Number.NaN };
}

async function main(): Promise<void> {
  log(`Kafka throughput benchmark: ${fmt(RECORDS)} × 100-byte records, ${PARTITIONS} partitions`);
  const external = process.env.KAFKA_BOOTSTRAP;
  const cluster = external ? undefined : await KafkaCluster.start({ onProgress: (m) => log(`  ${m}`) });
  const servers = external ?? cluster!.bootstrapServers;
  try {
    const run = randomUUID().slice(0, 8);
    const input = `bench-in-${run}`;
    const outputs = ['raw', 'alos', 'eos', 'stall', 'count-mem', 'count-rocks'].map(
      (o) => `bench-out-${o}-${run}`,
    );
    await createTopics(servers, [input, ...outputs]);
    log('producing the input');
    const produced = await produceInput(servers, input);
    log('raw client loop');
    const raw = await rawLoop(servers, input, outputs[0]!);
    log('tributary at_least_once');
    const alos = await tributary(servers, input, outputs[1]!, 'at_least_once');
    log('tributary exactly_once_v2');
    const eos = await tributary(servers, input, outputs[2]!, 'exactly_once_v2');
    const counts = [];
    for (const [stores, output] of [
      ['in-memory', outputs[4]!],
      ['rocksdb', outputs[5]!],
    ] as const) {
      const name = `tributary exactly_once_v2, count per key, ${stores} store`;
      log(name);
      counts.push(
        await tributary(servers, input, output, 'exactly_once_v2', name, countPerKey(input, output, stores)),
      );
    }
    log('rebalance stall: a second instance joins mid-stream');
    const stall = await rebalanceStall(servers, input, outputs[3]!);
    write([produced, raw, alos, eos], raw, counts, stall);
  } finally {
    await cluster?.stop();
  }
}

function write(
  results: readonly Result[],
  baseline: Result,
  counts: readonly Result[],
  stall: { stallMs: number; joinToRunningMs: number },
): void {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.seconds.toFixed(1)} | ${fmt(r.recordsPerSecond)} | ${r === results[0] ? '' : (r.recordsPerSecond / baseline.recordsPerSecond).toFixed(2)} |`,
  );
  const markdown = [
    '# Throughput on Kafka',
    '',
    generatedBy('kafkaThroughputBenchmark.ts', 'one kafka-local broker on the same machine'),
    '',
    `${fmt(RECORDS)} records of 100 bytes on ${PARTITIONS} partitions, a stateless \`filter\` + \`mapValues\` (uppercase),`,
    `written to an ${PARTITIONS}-partition topic. The baseline is a consume→transform→produce loop over the same client`,
    `doing the same work and committing every ${COMMIT_INTERVAL_MS} ms, measured in the same run on the same broker;`,
    `Tributary at_least_once commits every ${COMMIT_INTERVAL_MS} ms, exactly_once_v2 every 100 ms (its default).`,
    'Times include joining the group. Target: Tributary ≥ 0.8 of the baseline. Report only.',
    '',
    '| run | seconds | records/s | ratio to baseline |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    '## Stateful: count per key under exactly_once_v2, store in memory vs RocksDB',
    '',
    'The same input counted per key (10,000 keys; caching off, so every record reads and writes the store, writes',
    'its changelog and an output record), in the same run. RocksDB stores keep writes in memory until each',
    'transaction commits (every 100 ms) and then write them with the changelog checkpoint in one batch.',
    '',
    '| run | seconds | records/s | ratio to the in-memory store |',
    '|---|---:|---:|---:|',
    ...counts.map(
      (r) =>
        `| ${r.name} | ${r.seconds.toFixed(1)} | ${fmt(r.recordsPerSecond)} | ${(r.recordsPerSecond / counts[0]!.recordsPerSecond).toFixed(2)} |`,
    ),
    '',
    '## Rebalance stall',
    '',
    'One instance processes the same input; a third of the way through a second instance (same application id)',
    'joins. With the eager `range` assignor every partition is revoked and reassigned:',
    '',
    `- longest stretch without output progress after the join: **${fmt(stall.stallMs)} ms**`,
    `- from the second instance's \`start()\` to it reporting RUNNING: ${fmt(stall.joinToRunningMs)} ms`,
    '',
    '![throughput](kafka-throughput.png)',
    '',
  ].join('\n');
  writeReport('kafka', markdown, {
    file: 'kafka-throughput.png',
    png: renderBarChartPng(
      `${fmt(RECORDS)} records, 8 partitions: stateless filter+mapValues, then EOS count per key`,
      'rec/s',
      [...results.slice(1), ...counts].map((r) => ({
        label: r.name.replace('tributary exactly_once_v2, count per key, ', 'EOS count, '),
        value: r.recordsPerSecond,
      })),
    ),
  });
}

await main();
