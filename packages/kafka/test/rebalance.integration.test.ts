import { randomUUID } from 'node:crypto';
import { type KafkaClientError, KafkaConsumer } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { bootstrap, createTopic, eventually, uniqueTopic } from '../../../test/kafkaTestSupport.js';

describe('KafkaConsumer rebalance listener', () => {
  it('a change that can no longer be applied is reported to onRebalanceError, never thrown where nothing catches it', async () => {
    const servers = bootstrap();
    const topic = uniqueTopic('rebalance');
    await createTopic(servers, topic, 2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const events: string[] = [];
    const errors: KafkaClientError[] = [];
    const consumer = await KafkaConsumer.connect(
      { 'bootstrap.servers': servers, 'group.id': `rebalance-${randomUUID()}` },
      {
        onRebalance: (event, partitions) => {
          events.push(`${event} ${partitions.map((p) => p.partition).join(',')}`);
          // The listener holds the assignment (as a stream thread does while it creates tasks) ...
          return event === 'assign' ? held : undefined;
        },
        onRebalanceError: (error) => errors.push(error),
      },
    );
    consumer.subscribe([topic]);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await eventually(
        async () => {
          await consumer.poll(10, 100);
          return events.length > 0;
        },
        30_000,
        () => 'the first assignment',
      );
      expect(events).toEqual(['assign 0,1']);
      // ... and meanwhile the client goes away: applying the assignment now fails.
      await consumer.close();
      release();
      await eventually(
        async () => errors.length > 0,
        10_000,
        () => 'the error report',
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^applying the assignment of 2 partition\(s\) failed: /);
  });
});
