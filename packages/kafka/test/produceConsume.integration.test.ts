import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaProducer } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { bootstrap, createTopic, readTopic, uniqueTopic } from '../../../test/kafkaTestSupport.js';

describe('KafkaProducer and KafkaConsumer against a real broker', () => {
  it('writes 10,000 keyed records to 8 partitions and reads every one back exactly', async () => {
    const servers = bootstrap();
    const topic = uniqueTopic('produce-consume');
    await createTopic(servers, topic, 8);

    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    const [description] = await admin.describeTopics([topic]).finally(() => admin.close());
    expect(description!.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 5 });
    const count = 10_000;
    await producer.sendAll(
      Array.from({ length: count }, (_, i) => ({
        topic,
        partition: i % 8,
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(`value-${i}`),
        timestamp: 1_700_000_000_000 + i,
        headers: new Headers().add('seq', String(i)),
      })),
    );
    await producer.flush();
    // Every delivery report has been seen when flush() resolves: each partition's last offset is known exactly.
    expect(Array.from({ length: 8 }, (_, p) => producer.ackedOffset(topic, p))).toEqual(
      Array.from({ length: 8 }, () => count / 8 - 1),
    );
    await producer.close();
    expect(producer.failedDeliveryCount).toBe(0);

    const records = await readTopic(servers, topic, { isolation: 'read_uncommitted' });
    expect(records).toHaveLength(count);
    const seen = new Set<number>();
    for (const record of records) {
      const i = Number(record.key!.toString().slice('key-'.length));
      expect(record.value!.toString()).toBe(`value-${i}`);
      expect(record.partition).toBe(i % 8);
      expect(record.timestamp).toBe(1_700_000_000_000 + i);
      expect(record.headers.lastHeader('seq')?.value?.toString()).toBe(String(i));
      seen.add(i);
    }
    expect(seen.size).toBe(count);
    // Within a partition, records come back in the order they were sent.
    for (let p = 0; p < 8; p++) {
      const inPartition = records
        .filter((r) => r.partition === p)
        .map((r) => Number(r.key!.toString().slice(4)));
      expect(inPartition).toEqual([...inPartition].sort((a, b) => a - b));
      expect(inPartition).toHaveLength(count / 8);
    }
  });
});
