import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { generatedBy, writeReport } from './benchmarkReport.js';

/**
 * What a second instance joining costs the partitions that do not move, per group protocol: one instance
 * passes a steady input stream (8 partitions, 4,000 records/s) through to an output topic; 5 s in, a second
 * instance with the same application id starts. A reader timestamps every output record as it arrives. For
 * each partition the first instance keeps, the longest gap between arrivals from 1 s before the join to 10 s
 * after; for each partition that moves, the same gap (the hand-over). Report only.
 */
const PARTITIONS = 8;
const RATE = 4_000;
const WARMUP_MS = 5_000;
const AFTER_MS = 10_000;

const log = (m: string) => process.stderr.write(`[rebalance] ${m}\n`);

interface Result {
  protocol: 'classic' | 'consumer';
  kept: number[];
  keptGapMs: number;
  movedGapMs: number;
  joinToRunningMs: number;
}

async function run(servers: string, protocol: 'classic' | 'consumer'): Promise<Result> {
  const id = randomUUID().slice(0, 8);
  const input = `rebalance-in-${id}`;
  const output = `rebalance-out-${id}`;
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  await admin.createTopics([
    { name: input, partitions: PARTITIONS, replicationFactor: 1 },
    { name: output, partitions: PARTITIONS, replicationFactor: 1 },
  ]);
  // Creation returns before every broker's metadata lists the topics: wait until they do.
  while (!(await admin.listTopics()).includes(output) || !(await admin.listTopics()).includes(input)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  admin.close();

  const arrivals: number[][] = Array.from({ length: PARTITIONS }, () => []);
  const reader = await KafkaConsumer.connect({ 'bootstrap.servers': servers, 'group.id': `reader-${id}` });
  reader.assign(Array.from({ length: PARTITIONS }, (_, p) => ({ topic: output, partition: p, offset: -1 })));
  let reading = true;
  const readLoop = (async () => {
    while (reading) {
      for (const r of await reader.poll(5_000, 20)) arrivals[r.partition]!.push(performance.now());
    }
  })();

  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 2 });
  let producing = true;
  let sent = 0;
  const produceLoop = (async () => {
    const began = performance.now();
    while (producing) {
      const due = Math.floor(((performance.now() - began) / 1000) * RATE);
      for (; sent < due; sent++) {
        producer.send({
          topic: input,
          key: Buffer.from(`k${sent % 1000}`),
          value: Buffer.from(String(sent)),
          timestamp: Date.now(),
          headers: new Headers(),
        });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await producer.flush();
  })();

  const applicationId = `rebalance-${protocol}-${id}`;
  const start = async (suffix: string): Promise<KafkaStreams> => {
    const builder = new StreamsBuilder();
    builder
      .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
      .mapValues((v) => v)
      .to(output, Produced.with(Serdes.String(), Serdes.String()));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': applicationId,
      'bootstrap.servers': servers,
      'processing.guarantee': 'at_least_once',
      'commit.interval.ms': 100,
      'group.protocol': protocol,
      'application.server': '127.0.0.1:0',
      'state.dir': join(tmpdir(), `${applicationId}-${suffix}`),
      'log.level': 'warn',
    });
    await streams.start();
    return streams;
  };

  const a = await start('a');
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  log(`${protocol}: second instance joins`);
  const joinedAt = performance.now();
  const b = await start('b');
  let runningAt = Number.NaN;
  b.state$.subscribe((s) => {
    if (s === 'RUNNING' && Number.isNaN(runningAt)) runningAt = performance.now();
  });
  await new Promise((r) => setTimeout(r, AFTER_MS));
  producing = false;
  await produceLoop;
  await new Promise((r) => setTimeout(r, 1_000));
  const mine = a.metadataForAllStreamsClients().find((m) => m.hostInfo.port === a.applicationServer!.port);
  const kept = (mine?.activeTasks ?? []).map((t) => Number(t.split('_')[1])).sort((x, y) => x - y);
  await Promise.all([a.close(), b.close()]);
  reading = false;
  await readLoop;
  await reader.close();
  await producer.close();
  for (const s of ['a', 'b'])
    rmSync(join(tmpdir(), `${applicationId}-${s}`), { recursive: true, force: true });

  const longestGap = (partition: number): number => {
    const times = arrivals[partition]!.filter((t) => t >= joinedAt - 1_000 && t <= joinedAt + AFTER_MS);
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
    return gap;
  };
  const partitions = Array.from({ length: PARTITIONS }, (_, p) => p);
  const moved = partitions.filter((p) => !kept.includes(p));
  return {
    protocol,
    kept,
    keptGapMs: Math.max(0, ...kept.map(longestGap)),
    movedGapMs: Math.max(0, ...moved.map(longestGap)),
    joinToRunningMs: runningAt - joinedAt,
  };
}

const cluster = await KafkaCluster.start({ nodes: 1, onProgress: log });
const results: Result[] = [];
try {
  for (const protocol of ['classic', 'consumer'] as const) {
    const result = await run(cluster.bootstrapServers, protocol);
    log(JSON.stringify(result));
    results.push(result);
  }
} finally {
  await cluster.stop();
}
const fmt = (ms: number) => (Number.isFinite(ms) ? Math.round(ms).toLocaleString('en-US') : 'n/a');
writeReport(
  'rebalance',
  [
    '# A second instance joins: output gaps per group protocol',
    '',
    generatedBy(
      'rebalanceBenchmarkMain.ts',
      `one broker, ${PARTITIONS} partitions, ${RATE.toLocaleString('en-US')} records/s, at_least_once, commit every 100 ms`,
    ),
    '',
    'One instance passes a steady stream through; 5 s in, a second instance with the same application id starts.',
    'A reader timestamps every output record on arrival. "Kept": partitions the first instance still runs after',
    'the rebalance; "moved": partitions handed to the newcomer. Gap: the longest time between two arrivals on one',
    'partition, from 1 s before the join to 10 s after (at 500 records/s per partition, ~2 ms is no gap at all).',
    '',
    '| group.protocol | partitions kept | longest gap, kept partitions (ms) | longest gap, moved partitions (ms) | newcomer start() → RUNNING (ms) |',
    '| --- | --- | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.protocol} | ${r.kept.join(', ') || 'none'} | ${fmt(r.keptGapMs)} | ${fmt(r.movedGapMs)} | ${fmt(r.joinToRunningMs)} |`,
    ),
    '',
  ].join('\n'),
);
