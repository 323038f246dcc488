import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const KEYS = 200;
const PER_KEY = 10;
const running: KafkaStreams[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close({ timeoutMs: 30_000 })));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What the endpoints answer (the fields this test reads). */
interface Answer {
  readonly value?: number;
  readonly entries?: readonly { key: string; value: number }[];
  readonly error?: string;
}

async function query(streams: KafkaStreams, path: string): Promise<{ status: number; body: Answer }> {
  const { host, port } = streams.applicationServer!;
  const res = await fetch(`http://${host}:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Answer };
}

describe('interactive queries across two instances, over HTTP', () => {
  it('answers every key through either instance, and during a rebalance only exact values or retryable errors', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('iq-in');
    const output = uniqueTopic('iq-out');
    await createTopic(servers, input, 4);
    await createTopic(servers, output, 4);
    await produceStrings(
      servers,
      input,
      Array.from({ length: KEYS * PER_KEY }, (_, i) => ({ key: `k${i % KEYS}`, value: `v${i}` })),
    );
    const applicationId = `iq-${randomUUID().slice(0, 8)}`;
    const start = async (): Promise<KafkaStreams> => {
      const builder = new StreamsBuilder();
      builder
        .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as('counts'))
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
      const stateDir = join(tmpdir(), `iq-${randomUUID()}`);
      dirs.push(stateDir);
      const streams = new KafkaStreams(builder.build(), {
        'application.id': applicationId,
        'bootstrap.servers': servers,
        'state.dir': stateDir,
        'commit.interval.ms': 100,
        'application.server': '127.0.0.1:0',
        'session.timeout.ms': 10_000,
        'log.level': 'warn',
      });
      running.push(streams);
      await streams.start();
      return streams;
    };
    const keys = Array.from({ length: KEYS }, (_, k) => `k${k}`);
    const answersAll = async (streams: KafkaStreams): Promise<boolean> => {
      const all = await query(streams, '/stores/counts/all');
      return (
        all.status === 200 &&
        all.body.entries?.length === KEYS &&
        all.body.entries.every((e) => e.value === PER_KEY)
      );
    };

    const a = await start();
    await eventually(
      () => answersAll(a),
      60_000,
      () => 'the first instance to count every key',
    );

    // A second instance joins: while the group rebalances, ask the first one for every key in turn.
    const joining = start();
    const seen = new Map<number, number>();
    let wrong: unknown[] = [];
    let b: KafkaStreams | undefined;
    const settled = () =>
      b !== undefined &&
      [a, b].every(
        (s) =>
          s.state === 'RUNNING' &&
          s.metadataForAllStreamsClients().length === 2 &&
          s
            .metadataForAllStreamsClients()
            .flatMap((m) => m.activeTasks)
            .sort()
            .join() === '0_0,0_1,0_2,0_3',
      );
    void joining.then((s) => {
      b = s;
    });
    const deadline = Date.now() + 90_000;
    for (let i = 0; !settled(); i++) {
      if (Date.now() > deadline) throw new Error(`no settled assignment; states ${a.state} ${b?.state}`);
      const key = keys[i % KEYS]!;
      const answer = await query(a, `/stores/counts/keys/${key}`);
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
      if (!(answer.status === 503 || (answer.status === 200 && answer.body.value === PER_KEY))) {
        wrong.push({ key, ...answer });
      }
    }
    await joining;
    console.log(`queries during the rebalance: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(wrong).toEqual([]);

    // Settled: the two instances split the four tasks, agree on every key's owner, and answer every key.
    const tasksOf = (s: KafkaStreams) =>
      s.metadataForAllStreamsClients().find((m) => m.hostInfo.port === s.applicationServer!.port)!
        .activeTasks;
    expect([...tasksOf(a), ...tasksOf(b!)].sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    expect(tasksOf(a).length).toBeGreaterThan(0);
    expect(tasksOf(b!).length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(b!.queryMetadataForKey('counts', key)).toEqual(a.queryMetadataForKey('counts', key));
    }
    wrong = [];
    for (const s of [a, b!]) {
      for (const key of keys) {
        const answer = await query(s, `/stores/counts/keys/${key}`);
        if (answer.status !== 200 || answer.body.value !== PER_KEY) wrong.push({ key, ...answer });
      }
      expect(await answersAll(s)).toBe(true);
    }
    expect(wrong).toEqual([]);
  });
});
