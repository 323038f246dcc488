import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

const CUSTOMERS = 40;
const ORDERS = 4_000;
const running: KafkaStreams[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close({ timeoutMs: 30_000 })));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * KIP-848's consumer group protocol (`group.protocol: consumer`): the broker's range assignor must keep the
 * co-partitioned partitions of a task together (here a stream-table join), and a second instance joining
 * mid-stream must move tasks without loss or duplicate under exactly-once.
 */
describe("group.protocol 'consumer' (KIP-848)", () => {
  it('a co-partitioned join stays exact under exactly_once_v2 while a second instance joins mid-stream', async () => {
    const servers = bootstrap();
    const orders = uniqueTopic('kip848-orders');
    const customers = uniqueTopic('kip848-customers');
    const output = uniqueTopic('kip848-out');
    await createTopic(servers, orders, 4);
    await createTopic(servers, customers, 4);
    await createTopic(servers, output, 4);
    await produceStrings(
      servers,
      customers,
      Array.from({ length: CUSTOMERS }, (_, c) => ({ key: `c${c}`, value: `name-${c}`, timestamp: 1 })),
    );
    const applicationId = `kip848-${randomUUID().slice(0, 8)}`;
    const start = async (): Promise<KafkaStreams> => {
      const builder = new StreamsBuilder();
      const table = builder.table(customers, Consumed.with(Serdes.String(), Serdes.String()));
      builder
        .stream(orders, Consumed.with(Serdes.String(), Serdes.String()))
        .join(table, (order, name) => `${order}@${name}`)
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
      const stateDir = join(tmpdir(), `kip848-${randomUUID()}`);
      dirs.push(stateDir);
      const streams = new KafkaStreams(builder.build(), {
        'application.id': applicationId,
        'bootstrap.servers': servers,
        'processing.guarantee': 'exactly_once_v2',
        'group.protocol': 'consumer',
        'state.dir': stateDir,
        'application.server': '127.0.0.1:0',
        'max.task.idle.ms': 2_000,
        'log.level': 'warn',
      });
      running.push(streams);
      await streams.start();
      return streams;
    };
    const order = (i: number) => ({ key: `c${i % CUSTOMERS}`, value: `o${i}`, timestamp: 1_000 + i });
    const produce = (from: number, to: number) =>
      produceStrings(
        servers,
        orders,
        Array.from({ length: to - from }, (_, k) => order(from + k)),
      );

    await produce(0, ORDERS / 2);
    const a = await start();
    await eventually(
      async () => (await readTopic(servers, output, { isolation: 'read_committed' })).length >= ORDERS / 4,
      60_000,
      () => 'the first instance to join a quarter of the orders',
    );
    const b = await start();
    await produce(ORDERS / 2, ORDERS);
    const tasks = (s: KafkaStreams) =>
      s
        .metadataForAllStreamsClients()
        .flatMap((m) => m.activeTasks)
        .sort()
        .join();
    await eventually(
      async () =>
        [a, b].every((s) => s.state === 'RUNNING' && s.metadataForAllStreamsClients().length === 2) &&
        tasks(a) === '0_0,0_1,0_2,0_3' &&
        tasks(b) === '0_0,0_1,0_2,0_3',
      60_000,
      () => `tasks split: a ${tasks(a)}, b ${tasks(b)}`,
    );
    let joined: { key: string; value: string }[] = [];
    await eventually(
      async () => {
        joined = (await readTopic(servers, output, { isolation: 'read_committed' })).map((r) => ({
          key: r.key!.toString(),
          value: r.value!.toString(),
        }));
        return joined.length >= ORDERS;
      },
      90_000,
      () => `${joined.length} of ${ORDERS} joined`,
    );
    // Both instances ran tasks, each task on one of them only.
    const [ofA, ofB] = [a, b].map(
      (s) =>
        s.metadataForAllStreamsClients().find((m) => m.hostInfo.port === s.applicationServer!.port)!
          .activeTasks,
    );
    expect(ofA!.length).toBeGreaterThan(0);
    expect(ofB!.length).toBeGreaterThan(0);
    expect([...ofA!, ...ofB!].sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    // Every order joined exactly once with its customer: no loss, no duplicate.
    expect(joined.map((r) => `${r.key} ${r.value}`).sort()).toEqual(
      Array.from({ length: ORDERS }, (_, i) => order(i))
        .map((o) => `${o.key} ${o.value}@name-${o.key.slice(1)}`)
        .sort(),
    );
  });
});
