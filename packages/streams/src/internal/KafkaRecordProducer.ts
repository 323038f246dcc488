import type { ProducerRecord } from '@tributary/core';
import { StreamsError } from '@tributary/core';
import type { KafkaProducer } from '@tributary/kafka';
import type { RecordProducer } from '@tributary/runtime';
import type { PartitionCounts } from './InternalTopicManager.js';

/**
 * The runtime's producer port over a stream thread's KafkaProducer. `send` only enqueues; delivery is
 * confirmed at commit by `flush()`. Partition counts come from the topics prepared at start-up, plus any
 * topic (e.g. chosen by a TopicNameExtractor) looked up once and remembered.
 */
export class KafkaRecordProducer implements RecordProducer {
  private producer: KafkaProducer;

  constructor(
    producer: KafkaProducer,
    private readonly counts: Map<string, number>,
  ) {
    this.producer = producer;
  }

  static counts(prepared: PartitionCounts): Map<string, number> {
    return new Map(prepared);
  }

  /** Swap in a new producer after the old one was fenced or failed fatally. */
  replace(producer: KafkaProducer): void {
    this.producer = producer;
  }

  send(record: ProducerRecord, partition: number | undefined): void {
    this.producer.send(partition === record.partition ? record : { ...record, partition });
  }

  partitionsFor(topic: string): number {
    const count = this.counts.get(topic);
    if (count === undefined) {
      throw new StreamsError(
        `no partition count known for topic '${topic}': the topology writes to a topic it did not declare; ` +
          'create the topic before starting and name it in a sink (to(topic)) so start-up can check it',
      );
    }
    return count;
  }

  flush(): Promise<void> {
    return this.producer.flush();
  }
}
