import { type ProducerRecord, StreamsError } from '@tributary/core';
import type { KafkaProducer } from '@tributary/kafka';
import type { RecordProducer } from '@tributary/runtime';

/**
 * The runtime's producer port over a stream thread's KafkaProducer. `send` only enqueues; delivery is
 * confirmed at commit by `flush()`. Partition counts are those of the topics checked at start-up; a topic
 * chosen at run time by a TopicNameExtractor must be one of them (a later version may look others up).
 */
export class KafkaRecordProducer implements RecordProducer {
  private producer: KafkaProducer | undefined;

  constructor(private readonly counts: ReadonlyMap<string, number>) {}

  /** Use `producer` from now on: the first one, or a new one after the old was fenced or failed fatally. */
  replace(producer: KafkaProducer): void {
    this.producer = producer;
  }

  send(record: ProducerRecord, partition: number | undefined): void {
    this.producer!.send(record, partition);
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
    return this.producer!.flush();
  }

  ackedOffset(topic: string, partition: number): number | undefined {
    return this.producer?.ackedOffset(topic, partition);
  }
}
