import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  InvalidStateStoreError,
  KafkaStreams,
  type KafkaStreamsState,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
  type StreamThreadFailure,
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

const RECORDS = 2_000;
const KEYS = 20;

describe('REPLACE_THREAD with a RocksDB store', () => {
  it('a thread killed by a processing error is replaced by a working one: RUNNING, exact counts, no dead values', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('replace-in');
    const output = uniqueTopic('replace-out');
    await createTopic(servers, input, 2);
    await createTopic(servers, output, 2);
    await produceStrings(
      servers,
      input,
      Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i % KEYS}`, value: `v${i}` })),
    );
    let thrown = false;
    const builder = new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers });
    builder
      .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
      .peek((_k, v) => {
        if (v === 'v1234' && !thrown) {
          thrown = true;
          throw new Error('poison record v1234');
        }
      })
      .groupByKey()
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .toStream()
      .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
    const applicationId = `replace-${randomUUID().slice(0, 8)}`;
    const stateDir = join(tmpdir(), applicationId);
    const streams = new KafkaStreams(builder.build(), {
      'application.id': applicationId,
      'bootstrap.servers': servers,
      'processing.guarantee': 'exactly_once_v2',
      'commit.interval.ms': 100,
      'state.dir': stateDir,
      'max.poll.records': 100, // the poison record comes after some commits
    });
    const states: KafkaStreamsState[] = [];
    streams.state$.subscribe((s) => states.push(s));
    const failures: StreamThreadFailure[] = [];
    const queried: unknown[] = [];
    streams.setUncaughtExceptionHandler((error, failure) => {
      failures.push(failure);
      expect(String((error as Error).message)).toContain('poison record v1234');
      try {
        queried.push(streams.keyValueStore<string, number>('counts').get('k0'));
      } catch (e) {
        queried.push(e);
      }
      return 'REPLACE_THREAD';
    });
    await streams.start();
    try {
      const int64 = Serdes.Int64();
      let counts = new Map<string, number[]>();
      await eventually(
        async () => {
          counts = new Map();
          for (const r of await readTopic(servers, output, { isolation: 'read_committed' })) {
            const list = counts.get(r.key!.toString()) ?? [];
            list.push(int64.deserialize(output, r.value!));
            counts.set(r.key!.toString(), list);
          }
          return [...counts.values()].reduce((n, l) => n + l.length, 0) >= RECORDS;
        },
        120_000,
        () =>
          `${[...counts.values()].reduce((n, l) => n + l.length, 0)} of ${RECORDS} counts; state ${streams.state}`,
      );
      // Every key counted 1, 2, … 100 exactly once, across the death and the replacement.
      const expected = Array.from({ length: RECORDS / KEYS }, (_, i) => i + 1);
      for (let k = 0; k < KEYS; k++) expect(counts.get(`k${k}`)).toEqual(expected);
      expect(failures).toEqual([
        { threadName: `${applicationId}-StreamThread-1`, replacements: 0, backoffMs: 0 },
      ]);
      expect(queried).toHaveLength(1);
      expect(queried[0]).toBeInstanceOf(InvalidStateStoreError);
      await eventually(
        async () => streams.state === 'RUNNING',
        30_000,
        () => streams.state,
      );
      expect(Object.keys(streams.tasksByThread())).toEqual([`${applicationId}-StreamThread-2`]);
      const store = streams.keyValueStore<string, number>('counts');
      for (let k = 0; k < KEYS; k++) expect(store.get(`k${k}`)).toBe(RECORDS / KEYS);
      expect(states).not.toContain('ERROR');
    } finally {
      await streams.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
