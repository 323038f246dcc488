import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  KafkaStreams,
  type KafkaStreamsState,
  Produced,
  Serdes,
  StreamsBuilder,
  StreamsError,
} from '@tributary/streams';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

/** A topology whose mapValues throws the first time it sees value "poison", then works. */
async function setUp(): Promise<{
  servers: string;
  output: string;
  streams: KafkaStreams;
  states: KafkaStreamsState[];
}> {
  const servers = bootstrap();
  const input = uniqueTopic('ueh-in');
  const output = uniqueTopic('ueh-out');
  await createTopic(servers, input, 2);
  await createTopic(servers, output, 2);
  await produceStrings(servers, input, [
    { key: 'a', value: 'one', partition: 0 },
    { key: 'b', value: 'poison', partition: 0 },
    { key: 'c', value: 'three', partition: 1 },
  ]);
  let thrown = false;
  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => {
      if (v === 'poison' && !thrown) {
        thrown = true;
        throw new Error('bad record');
      }
      return v.toUpperCase();
    })
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  const applicationId = `ueh-${randomUUID().slice(0, 8)}`;
  const streams = new KafkaStreams(builder.build(), {
    'application.id': applicationId,
    'bootstrap.servers': servers,
    'commit.interval.ms': 100,
    'state.dir': join(tmpdir(), applicationId),
  });
  const states: KafkaStreamsState[] = [];
  streams.state$.subscribe((s) => states.push(s));
  return { servers, output, streams, states };
}

describe('uncaught exception handler', () => {
  it('REPLACE_THREAD: a new thread takes over and the records are processed', async () => {
    const { servers, output, streams } = await setUp();
    const seen: unknown[] = [];
    streams.setUncaughtExceptionHandler((error) => {
      seen.push(error);
      return 'REPLACE_THREAD';
    });
    await streams.start();
    try {
      let values: string[] = [];
      await eventually(
        async () => {
          values = [...new Set((await readTopic(servers, output)).map((r) => r.value!.toString()))].sort();
          return values.length === 3;
        },
        60_000,
        () => `outputs ${JSON.stringify(values)}`,
      );
      expect(values).toEqual(['ONE', 'POISON', 'THREE']);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(StreamsError);
      expect((seen[0] as Error).message).toContain('bad record');
      expect(Object.keys(streams.tasksByThread())).toHaveLength(1);
      expect(Object.keys(streams.tasksByThread())[0]).toMatch(/-StreamThread-2$/);
    } finally {
      await streams.close();
    }
  });

  it('SHUTDOWN_CLIENT (the default): the instance goes to ERROR and keeps the error', async () => {
    const { streams, states } = await setUp();
    await streams.start();
    await eventually(
      async () => streams.state === 'ERROR',
      60_000,
      () => `state ${streams.state}`,
    );
    expect((streams.error as Error).message).toContain('bad record');
    await streams.close();
    expect(states.slice(-3)).toEqual(['ERROR', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  });
});
