import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  KafkaStreams,
  type KafkaStreamsState,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
} from '@tributary/streams';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const KEYS = 6_000;
const PER_KEY = 3;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A commit flushes the record cache: every dirty entry becomes a changelog record and an output record, sent
 * synchronously. With more dirty entries than librdkafka's send queue holds, `send` used to throw
 * `Local: Queue full` from inside the flush and the instance went to ERROR (count by key on RocksDB under
 * at_least_once). A full queue must mean waiting for deliveries.
 */
describe('a cache flush larger than the producer send queue', () => {
  it('waits for deliveries instead of failing: count by key on RocksDB under at_least_once stays exact', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('qfull-in');
    const output = uniqueTopic('qfull-out');
    await createTopic(servers, input, 2);
    await createTopic(servers, output, 2);
    const records = Array.from({ length: KEYS * PER_KEY }, (_, i) => ({
      key: `k${i % KEYS}`,
      value: `v${i}`,
    }));
    await produceStrings(servers, input, records);

    const builder = new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers });
    builder
      .stream(input, Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .count(Materialized.as('counts'))
      .toStream()
      .to(output, Produced.with(Serdes.String(), Serdes.Int64()));
    const stateDir = join(tmpdir(), `qfull-${randomUUID()}`);
    dirs.push(stateDir);
    const streams = new KafkaStreams(builder.build(), {
      'application.id': `qfull-${randomUUID().slice(0, 8)}`,
      'bootstrap.servers': servers,
      'processing.guarantee': 'at_least_once',
      // One commit after everything is buffered: the flush sends 2 × 6,000 records (changelog + output)
      // into a queue that holds 500.
      'commit.interval.ms': 5_000,
      'state.dir': stateDir,
      'producer.queue.buffering.max.messages': 500,
    });
    const states: KafkaStreamsState[] = [];
    streams.state$.subscribe((s) => states.push(s));
    await streams.start();
    const latest = new Map<string, number>();
    try {
      await eventually(
        async () => {
          if (states.includes('ERROR')) throw new Error(`the instance failed: ${states.join(' → ')}`);
          latest.clear();
          for (const r of await readTopic(servers, output)) {
            latest.set(r.key!.toString(), Number(r.value!.readBigInt64BE(0)));
          }
          return latest.size === KEYS && [...latest.values()].every((n) => n === PER_KEY);
        },
        90_000,
        () => `${latest.size} keys, states ${states.join(' → ')}`,
      );
    } finally {
      await streams.close();
    }
    expect(states).not.toContain('ERROR');
    expect(latest).toEqual(new Map(Array.from({ length: KEYS }, (_, k) => [`k${k}`, PER_KEY])));
  });
});
