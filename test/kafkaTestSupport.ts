import { randomUUID } from 'node:crypto';
import { type ConsumerRecord, Headers } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import { inject } from 'vitest';

/** Bootstrap servers of the run's broker (see globalSetup.ts). */
export function bootstrap(): string {
  return inject('kafkaBootstrap');
}

/** The run's schema registry (Confluent-compatible API); only in files named `*.registry.integration.test.ts`. */
export function schemaRegistryUrl(): string {
  const url = inject('schemaRegistryUrl');
  if (url === undefined) {
    throw new Error(
      'no schema registry in this run: the global setup starts one only when a *.registry.integration.test.ts file runs',
    );
  }
  return url;
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(
  servers: string,
  name: string,
  partitions: number,
  options: { replicationFactor?: number; config?: Record<string, string> } = {},
): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    await admin.createTopics([{ name, partitions, ...options }]);
  } finally {
    admin.close();
  }
}

/**
 * Reads a topic from the beginning until every partition's position reaches its end offset (for
 * read_committed, past the last transaction marker), then returns every record read. Fails after `timeoutMs`.
 */
export async function readTopic(
  servers: string,
  topic: string,
  options: { isolation?: 'read_committed' | 'read_uncommitted'; timeoutMs?: number } = {},
): Promise<ConsumerRecord[]> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  const [description] = await admin.describeTopics([topic]).finally(() => admin.close());
  const partitions = description!.partitions.map((p) => p.partition);
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': `reader-${randomUUID()}`,
    'isolation.level': options.isolation ?? 'read_committed',
    'enable.partition.eof': false,
  });
  try {
    consumer.assign(partitions.map((partition) => ({ topic, partition, offset: -2 /* beginning */ })));
    const ends = new Map<number, number>();
    for (const p of partitions) ends.set(p, (await consumer.watermarks(topic, p)).high);
    const next = new Map<number, number>(partitions.map((p) => [p, 0]));
    const records: ConsumerRecord[] = [];
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const done = () => partitions.every((p) => (next.get(p) ?? 0) >= (ends.get(p) ?? 0));
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(
          `readTopic(${topic}) timed out; positions ${JSON.stringify([...next])}, ends ${JSON.stringify([...ends])}`,
        );
      }
      const batch = await consumer.poll(5_000, 200);
      for (const r of batch) {
        records.push(r);
        next.set(r.partition, r.offset + 1);
      }
      if (batch.length === 0) {
        // Transaction markers and aborted records are skipped without being returned: ask where we are.
        for (const { partition, offset } of consumer.position(
          partitions.map((partition) => ({ topic, partition })),
        )) {
          if (offset > (next.get(partition) ?? 0)) next.set(partition, offset);
        }
      }
    }
    return records;
  } finally {
    await consumer.close();
  }
}

/** Produces string key/value records (key null when undefined) and waits until all are acknowledged. */
export async function produceStrings(
  servers: string,
  topic: string,
  records: readonly { key?: string; value: string; partition?: number; timestamp?: number }[],
): Promise<void> {
  const producer = await KafkaProducer.connect({
    'bootstrap.servers': servers,
    'linger.ms': 5,
    partitioner: 'murmur2_random',
  });
  try {
    await producer.sendAll(
      records.map((r) => ({
        topic,
        ...(r.partition === undefined ? {} : { partition: r.partition }),
        key: r.key === undefined ? null : Buffer.from(r.key),
        value: Buffer.from(r.value),
        timestamp: r.timestamp ?? Date.now(),
        headers: new Headers(),
      })),
    );
    await producer.flush();
  } finally {
    await producer.close();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `describe()`). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
