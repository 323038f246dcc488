import { randomUUID } from 'node:crypto';
import type { ConsumerRecord } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer } from '@tributary/kafka';

/**
 * Follows a topic from the beginning with a read_committed consumer (so it sees only what committed
 * transactions wrote: exactly once), decoding each record and handing it to `onRecord`.
 */
export class TopicReader<T> {
  readonly records: T[] = [];
  private readonly positions = new Map<number, number>();
  private running = true;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly consumer: KafkaConsumer,
    private readonly admin: KafkaAdmin,
    private readonly topic: string,
    private readonly decode: (record: ConsumerRecord) => T,
    private readonly onRecord: (value: T) => void,
  ) {}

  static async start<T>(
    servers: string,
    topic: string,
    decode: (record: ConsumerRecord) => T,
    onRecord: (value: T) => void = () => {},
  ): Promise<TopicReader<T>> {
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    let consumer: KafkaConsumer | undefined;
    try {
      const [description] = await admin.describeTopics([topic]);
      consumer = await KafkaConsumer.connect({
        'bootstrap.servers': servers,
        'group.id': `fraud-reader-${randomUUID()}`,
        'isolation.level': 'read_committed',
        'enable.partition.eof': false,
      });
      consumer.assign(description!.partitions.map((p) => ({ topic, partition: p.partition, offset: -2 })));
    } catch (error) {
      admin.close();
      await consumer?.close();
      throw error;
    }
    const reader = new TopicReader(consumer, admin, topic, decode, onRecord);
    reader.loop = reader.run();
    return reader;
  }

  /** Waits until every committed record written so far has been read. */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    const ends = await this.admin.endOffsets(this.topic, 'read_committed');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const positions = this.consumer.position(
        ends.map((_, partition) => ({ topic: this.topic, partition })),
      );
      for (const { partition, offset } of positions) {
        if (offset > (this.positions.get(partition) ?? 0)) this.positions.set(partition, offset);
      }
      if (ends.every((end, partition) => (this.positions.get(partition) ?? 0) >= end)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.topic}: not read to its end offsets ${ends.join(',')} within ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    this.running = false;
    try {
      await this.loop;
    } finally {
      this.admin.close();
      await this.consumer.close();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const record of await this.consumer.poll(500, 100)) {
        this.positions.set(record.partition, record.offset + 1);
        const value = this.decode(record);
        this.records.push(value);
        this.onRecord(value);
      }
    }
  }
}
