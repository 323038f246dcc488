import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

async function runTwoThreads(workers: boolean): Promise<void> {
  const servers = bootstrap();
  const input = uniqueTopic('threads-in');
  const output = uniqueTopic('threads-out');
  await createTopic(servers, input, 4);
  await createTopic(servers, output, 4);
  await produceStrings(
    servers,
    input,
    Array.from({ length: 4_000 }, (_, i) => ({ key: `k${i % 40}`, value: String(i) })),
  );
  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => String(Number(v) * 2))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  process.env.DOUBLING_INPUT = input;
  process.env.DOUBLING_OUTPUT = output;
  const topologyModule = new URL('./fixtures/doublingTopology.mjs', import.meta.url);
  const applicationId = `threads-${randomUUID().slice(0, 8)}`;
  const streams = new KafkaStreams(workers ? { module: topologyModule } : builder.build(), {
    'application.id': applicationId,
    'bootstrap.servers': servers,
    'num.stream.threads': 2,
    'commit.interval.ms': 200,
    'state.dir': join(tmpdir(), applicationId),
  });
  await streams.start();
  try {
    let tasks: Record<string, string[]> = {};
    await eventually(
      async () => {
        tasks = streams.tasksByThread();
        const sets = Object.values(tasks);
        return streams.state === 'RUNNING' && sets.length === 2 && sets.every((s) => s.length > 0);
      },
      60_000,
      () => `tasks by thread: ${JSON.stringify(tasks)}, state ${streams.state}`,
    );
    const [a, b] = Object.values(tasks) as [string[], string[]];
    expect(Object.keys(tasks).sort()).toEqual([
      `${applicationId}-StreamThread-1`,
      `${applicationId}-StreamThread-2`,
    ]);
    expect(a.filter((t) => b.includes(t))).toEqual([]);
    expect([...a, ...b].sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);

    let values: number[] = [];
    await eventually(
      async () => {
        values = (await readTopic(servers, output)).map((r) => Number(r.value!.toString()));
        return values.length >= 4_000;
      },
      60_000,
      () => `${values.length} outputs`,
    );
    expect(values.sort((x, y) => x - y)).toEqual(Array.from({ length: 4_000 }, (_, i) => i * 2));
  } finally {
    await streams.close();
  }
  expect(streams.state).toBe('NOT_RUNNING');
}

describe('num.stream.threads', () => {
  it('splits the tasks of one instance between two threads in one event loop, disjoint and complete', async () => {
    await runTwoThreads(false);
  });

  it('runs each stream thread in its own process (own core) when given a topology module', async () => {
    await runTwoThreads(true);
  });
});
