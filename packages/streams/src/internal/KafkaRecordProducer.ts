import { type ProducerRecord, RecordTooLargeError, StreamsError } from '@tributary/core';
import { KafkaClientError, type ProducerClient } from '@tributary/kafka';
import type { RecordProducer } from '@tributary/runtime';

/**
 * The runtime's producer port over a stream thread's producer client. `send` only enqueues; delivery is
 * confirmed at commit by `flush()`. Partition counts are those of the topics checked at start-up; a topic
 * chosen at run time by a TopicNameExtractor must be one of them (a later version may look others up).
 */
export class KafkaRecordProducer implements RecordProducer {
  private producer: ProducerClient | undefined;

  constructor(private readonly counts: ReadonlyMap<string, number>) {}

  /** Use `producer` from now on: the first one, or a new one after the old was fenced or failed fatally. */
  replace(producer: ProducerClient): void {
    this.producer = producer;
  }

  /** Throws a RecordTooLargeError (for the production exception handler) when the producer refuses the size. */
  send(record: ProducerRecord, partition: number | undefined): void {
    try {
      this.producer!.send(record, partition);
    } catch (error) {
      if (!KafkaClientError.isRecordTooLarge(error)) throw error;
      throw new RecordTooLargeError(
        `The producer refused a record of ${recordBytes(record)} bytes for topic '${record.topic}': ${(error as Error).message}; ` +
          "raise the producer's message.max.bytes (config 'producer.message.max.bytes') and the topic's max.message.bytes, " +
          'or let production.exception.handler skip such records',
        { cause: error },
      );
    }
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

function recordBytes(record: ProducerRecord): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) bytes += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return bytes;
}
