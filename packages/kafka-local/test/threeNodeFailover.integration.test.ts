import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaProducer } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, readTopic } from '../../../test/kafkaTestSupport.js';

describe('a 3-node kafka-local cluster', () => {
  let cluster: KafkaCluster;

  beforeAll(async () => {
    cluster = await KafkaCluster.start({ nodes: 3 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps every acks=all record while one broker is killed and restarted', async () => {
    const servers = cluster.bootstrapServers;
    expect(await cluster.registeredBrokers()).toEqual([1, 2, 3]);
    const topic = 'failover';
    await createTopic(servers, topic, 6, { replicationFactor: 3, config: { 'min.insync.replicas': '2' } });
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    const [before] = await admin.describeTopics([topic]);
    expect(before!.partitions.map((p) => [...p.replicas].sort())).toEqual(Array(6).fill([1, 2, 3]));

    const producer = await KafkaProducer.connect({
      'bootstrap.servers': servers,
      acks: 'all',
      'enable.idempotence': true,
      'message.timeout.ms': 120_000,
    });
    let next = 0;
    const sendBatch = async (n: number) => {
      const records = Array.from({ length: n }, () => {
        const i = next++;
        return {
          topic,
          key: Buffer.from(`k${i}`),
          value: Buffer.from(String(i)),
          timestamp: Date.now(),
          headers: new Headers(),
        };
      });
      await producer.sendAll(records);
      await producer.flush();
    };

    await sendBatch(2_000);
    await cluster.killBroker(2);
    expect(cluster.runningBrokers()).toEqual([1, 3]);
    for (let i = 0; i < 5; i++) await sendBatch(1_000); // 2 of 3 replicas in sync: min ISR 2 still met
    await cluster.restartBroker(2);
    expect(cluster.runningBrokers()).toEqual([1, 2, 3]);
    await sendBatch(2_000);
    await producer.close();
    expect(producer.failedDeliveryCount).toBe(0);

    // The restarted broker catches up and rejoins every ISR.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [after] = await admin.describeTopics([topic]);
      if (after!.partitions.every((p) => p.isr.length === 3)) break;
      if (Date.now() > deadline) throw new Error(`ISR did not recover: ${JSON.stringify(after)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    admin.close();

    const records = await readTopic(servers, topic, { isolation: 'read_committed' });
    const values = records.map((r) => Number(r.value!.toString())).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 9_000 }, (_, i) => i));
  });
});
