import { Headers } from '@tributary/core';
import { KafkaProducer } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { bootstrap, createTopic, readTopic, uniqueTopic } from '../../../test/kafkaTestSupport.js';

function batch(topic: string, prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    topic,
    partition: i % 3,
    key: Buffer.from(`${prefix}-${i}`),
    value: Buffer.from(`${prefix}-value-${i}`),
    timestamp: Date.now(),
    headers: new Headers(),
  }));
}

describe('transactional producer', () => {
  it('hides an aborted batch from read_committed readers and shows a committed batch exactly once', async () => {
    const servers = bootstrap();
    const topic = uniqueTopic('transactions');
    await createTopic(servers, topic, 3);

    const producer = await KafkaProducer.connect({
      'bootstrap.servers': servers,
      'transactional.id': `${topic}-producer`,
    });
    await producer.initTransactions();

    await producer.beginTransaction();
    await producer.sendAll(batch(topic, 'aborted', 500));
    await producer.flush();
    await producer.abortTransaction();

    await producer.beginTransaction();
    await producer.sendAll(batch(topic, 'committed', 700));
    await producer.commitTransaction();
    await producer.close();

    const committed = await readTopic(servers, topic, { isolation: 'read_committed' });
    const keys = committed.map((r) => r.key!.toString()).sort();
    expect(keys).toEqual(Array.from({ length: 700 }, (_, i) => `committed-${i}`).sort());
    expect(
      committed.every((r) => r.value!.toString() === `${r.key!.toString().replace(/-(\d+)$/, '-value-$1')}`),
    ).toBe(true);

    // read_uncommitted sees the aborted records too, so the abort really wrote them.
    const everything = await readTopic(servers, topic, { isolation: 'read_uncommitted' });
    expect(everything.filter((r) => r.key!.toString().startsWith('aborted-'))).toHaveLength(500);
    expect(everything.filter((r) => r.key!.toString().startsWith('committed-'))).toHaveLength(700);
  });
});
