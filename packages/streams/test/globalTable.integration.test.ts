import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  produceStrings,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

describe('GlobalKTable on a real broker', () => {
  it('is loaded in full before the stream starts, then follows its topic', async () => {
    const servers = bootstrap();
    const customers = uniqueTopic('gkt-customers');
    const orders = uniqueTopic('gkt-orders');
    const output = uniqueTopic('gkt-out');
    await createTopic(servers, customers, 3);
    await createTopic(servers, orders, 4);
    await createTopic(servers, output, 4);
    // 300 customers on 3 partitions (a global table reads them all, whatever partitions the stream has).
    await produceStrings(
      servers,
      customers,
      Array.from({ length: 300 }, (_, i) => ({ key: `c${i}`, value: `customer-${i}` })),
    );
    await produceStrings(
      servers,
      orders,
      Array.from({ length: 1_000 }, (_, i) => ({ key: `o${i}`, value: `c${(i * 7) % 300}:${i}` })),
    );

    const builder = new StreamsBuilder();
    const table = builder.globalTable(
      customers,
      Consumed.with(Serdes.String(), Serdes.String()),
      Materialized.as('customers-store'),
    );
    builder
      .stream(orders, Consumed.with(Serdes.String(), Serdes.String()))
      .join(
        table,
        (_orderId, order) => order.split(':')[0]!,
        (order, customer) => `${order.split(':')[1]}@${customer}`,
      )
      .to(output, Produced.with(Serdes.String(), Serdes.String()));
    const applicationId = `gkt-${randomUUID().slice(0, 8)}`;
    const streams = new KafkaStreams(builder.build(), {
      'application.id': applicationId,
      'bootstrap.servers': servers,
      'commit.interval.ms': 100,
      'state.dir': join(tmpdir(), applicationId),
    });
    await streams.start();
    try {
      let out: string[] = [];
      const read = async () => (await readTopic(servers, output)).map((r) => r.value!.toString());
      // An inner join drops an order whose customer is missing: all 1,000 arriving means the table was complete.
      await eventually(
        async () => {
          out = await read();
          return out.length >= 1_000;
        },
        60_000,
        () => `${out.length} joined`,
      );
      expect(out.sort()).toEqual(
        Array.from({ length: 1_000 }, (_, i) => `${i}@customer-${(i * 7) % 300}`).sort(),
      );

      // The table keeps following its topic: a renamed customer is seen by later orders.
      await produceStrings(servers, customers, [{ key: 'c7', value: 'renamed' }]);
      let joined: string[] = [];
      await eventually(
        async () => {
          await produceStrings(servers, orders, [{ key: `late-${randomUUID()}`, value: 'c7:late' }]);
          joined = (await read()).filter((v) => v.startsWith('late@'));
          return joined.includes('late@renamed');
        },
        30_000,
        () => `late joins ${JSON.stringify(joined)}`,
      );
    } finally {
      await streams.close();
    }
  });
});
