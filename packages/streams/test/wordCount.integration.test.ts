import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  Grouped,
  KafkaStreams,
  type KafkaStreamsState,
  Materialized,
  Produced,
  Serdes,
  StreamsBuilder,
  type StreamsMetrics,
} from '@tributary/streams';
import { first, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const WORDS = ['kafka', 'streams', 'tributary', 'river', 'delta', 'lake', 'ocean'];

function lines(n: number): { lines: { key: string; value: string }[]; expected: Map<string, number> } {
  const expected = new Map<string, number>();
  const out: { key: string; value: string }[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 1 + (i % 5) }, (_, j) => WORDS[(i * 3 + j * 5) % WORDS.length]!);
    for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
    out.push({ key: `line-${i}`, value: words.join(' ').toUpperCase() });
  }
  return { lines: out, expected };
}

async function runWordCount(guarantee: 'at_least_once' | 'exactly_once_v2'): Promise<void> {
  const servers = bootstrap();
  const input = uniqueTopic('wc-input');
  const output = uniqueTopic('wc-output');
  await createTopic(servers, input, 4);
  await createTopic(servers, output, 4);
  const { lines: data, expected } = lines(2_000);
  await produceStrings(servers, input, data);

  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.toLowerCase().split(/\W+/))
    .groupBy((_key, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as<string, number>('counts'))
    .toStream()
    .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': `wc-${guarantee}-${randomUUID().slice(0, 8)}`,
    'bootstrap.servers': servers,
    'processing.guarantee': guarantee,
    'commit.interval.ms': 200,
    'state.dir': join(tmpdir(), `wc-${randomUUID()}`),
  });
  const states: KafkaStreamsState[] = [];
  streams.state$.subscribe((s) => states.push(s));
  await streams.start();

  const latest = new Map<string, number>();
  try {
    await eventually(
      async () => {
        const records = await readTopic(servers, output, { isolation: 'read_committed' });
        latest.clear();
        for (const r of records) latest.set(r.key!.toString(), Number(r.value!.readBigInt64BE(0)));
        return [...expected].every(([w, c]) => latest.get(w) === c);
      },
      60_000,
      () => `latest counts ${JSON.stringify([...latest])}, expected ${JSON.stringify([...expected])}`,
    );
    // Interactive queries: the local store, merged over the instance's four tasks, in key order.
    const counts = streams.keyValueStore<string, number>('counts');
    expect([...counts.all()].map((e) => [e.key, e.value])).toEqual(
      [...expected].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    expect(counts.get('tributary')).toBe(expected.get('tributary'));
    expect(counts.get('nowhere')).toBeNull();
    expect([...counts.range('kafka', 'ocean')].map((e) => e.key)).toEqual(['kafka', 'lake', 'ocean']);
    expect(() => streams.keyValueStore('nope').get('x')).toThrow("The topology has no store 'nope'");

    // Metrics: every line went through sub-topology 0 once and every word through sub-topology 1 once; the
    // consumer has no lag left; nothing was dropped.
    const words = [...expected.values()].reduce((a, b) => a + b, 0);
    const processedBy = (m: StreamsMetrics, sub: string) =>
      m.threads
        .flatMap((t) => t.tasks)
        .filter((t) => t.taskId.startsWith(`${sub}_`))
        .reduce((n, t) => n + t.processedTotal, 0);
    const now = streams.metrics();
    expect([processedBy(now, '0'), processedBy(now, '1')]).toEqual([data.length, words]);
    expect(now.processedTotal).toBe(data.length + words);
    expect(now.droppedRecordsTotal).toBe(0);
    expect(now.threads.flatMap((t) => t.tasks.map((task) => task.taskId)).sort()).toEqual([
      '0_0',
      '0_1',
      '0_2',
      '0_3',
      '1_0',
      '1_1',
      '1_2',
      '1_3',
    ]);
    const sampled = await firstValueFrom(
      streams
        .metricsEvery(100)
        .pipe(first((m) => m.threads[0]!.lag.length === 8 && m.threads[0]!.lag.every((l) => l.lag === 0))),
    );
    expect(sampled.processedTotal).toBe(data.length + words);
    expect(sampled.processRate).toBe(0);
  } finally {
    await streams.close();
  }
  expect(() => streams.keyValueStore<string, number>('counts').get('kafka')).toThrow(
    "Cannot query store 'counts' while KafkaStreams is NOT_RUNNING",
  );
  expect(new Map([...latest].sort())).toEqual(new Map([...expected].sort()));
  expect(states[0]).toBe('CREATED');
  expect(states).toContain('RUNNING');
  expect(states.slice(-2)).toEqual(['PENDING_SHUTDOWN', 'NOT_RUNNING']);
  expect(streams.commitCount).toBeGreaterThan(0);
}

describe('KafkaStreams word count on a real broker', () => {
  it('counts every word exactly with at_least_once, through a repartition topic', async () => {
    await runWordCount('at_least_once');
  });

  it('counts every word exactly with exactly_once_v2', async () => {
    await runWordCount('exactly_once_v2');
  });
});
