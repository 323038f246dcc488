import { randomUUID } from 'node:crypto';
import { Serdes } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer } from '@tributary/kafka';
import type { Alert } from './Alert.js';

/**
 * Follows `fraud-alerts` from the beginning with a read_committed consumer (so it sees only alerts of
 * committed transactions: exactly once), handing each alert to `onAlert`.
 */
export class AlertReader {
  readonly alerts: Alert[] = [];
  private readonly serde = Serdes.Json<Alert>();
  private readonly positions = new Map<number, number>();
  private running = true;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly consumer: KafkaConsumer,
    private readonly admin: KafkaAdmin,
    private readonly topic: string,
    private readonly onAlert: (alert: Alert) => void,
  ) {}

  static async start(
    servers: string,
    topic: string,
    onAlert: (alert: Alert) => void = () => {},
  ): Promise<AlertReader> {
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    let consumer: KafkaConsumer | undefined;
    try {
      const [description] = await admin.describeTopics([topic]);
      consumer = await KafkaConsumer.connect({
        'bootstrap.servers': servers,
        'group.id': `fraud-alert-reader-${randomUUID()}`,
        'isolation.level': 'read_committed',
        'enable.partition.eof': false,
      });
      consumer.assign(description!.partitions.map((p) => ({ topic, partition: p.partition, offset: -2 })));
    } catch (error) {
      admin.close();
      await consumer?.close();
      throw error;
    }
    const reader = new AlertReader(consumer, admin, topic, onAlert);
    reader.loop = reader.run();
    return reader;
  }

  /** Waits until every committed alert written so far has been read. */
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
        const alert = this.serde.deserialize(record.topic, record.value!);
        this.alerts.push(alert);
        this.onAlert(alert);
      }
    }
  }
}
