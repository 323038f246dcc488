import { type ConsumerRecord, type Serde, SerializationError, StreamsError } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { DriverHost } from './internal/DriverHost.js';
import type { OutputRecord } from './OutputRecord.js';

/**
 * Reads what the topology wrote to one topic, in write order (across partitions), deserialized with this
 * topic's serdes. Every read consumes: a record is returned once.
 */
export class TestOutputTopic<K, V> {
  /** @internal created by `TopologyTestDriver.createOutputTopic` */
  constructor(
    private readonly host: DriverHost,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  readValue(): V | null {
    return this.readRecord().value;
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const record = this.readRecord();
    return { key: record.key, value: record.value };
  }

  readRecord(): OutputRecord<K, V> {
    const raw = this.host.takeOutput(this.topic);
    if (raw === undefined) {
      throw new StreamsError(
        `Output topic '${this.topic}' has no more records; check isEmpty() or getQueueSize() before reading`,
      );
    }
    return this.deserialize(raw);
  }

  readValuesToList(): (V | null)[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  readKeyValuesToList(): KeyValue<K | null, V | null>[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }

  /** The latest value per key; a null value (tombstone) removes the key. */
  readKeyValuesToMap(): Map<K | null, V> {
    const map = new Map<K | null, V>();
    for (const record of this.readRecordsToList()) {
      if (record.value === null) map.delete(record.key);
      else map.set(record.key, record.value);
    }
    return map;
  }

  readRecordsToList(): OutputRecord<K, V>[] {
    const out: OutputRecord<K, V>[] = [];
    for (
      let raw = this.host.takeOutput(this.topic);
      raw !== undefined;
      raw = this.host.takeOutput(this.topic)
    ) {
      out.push(this.deserialize(raw));
    }
    return out;
  }

  isEmpty(): boolean {
    return this.host.outputSize(this.topic) === 0;
  }

  getQueueSize(): number {
    return this.host.outputSize(this.topic);
  }

  private deserialize(raw: ConsumerRecord): OutputRecord<K, V> {
    return {
      topic: raw.topic,
      key: this.read('key', this.keySerde, raw),
      value: this.read('value', this.valueSerde, raw),
      timestamp: raw.timestamp,
      headers: raw.headers,
      partition: raw.partition,
      offset: raw.offset,
    };
  }

  private read<T>(part: 'key' | 'value', serde: Serde<T>, raw: ConsumerRecord): T | null {
    const bytes = part === 'key' ? raw.key : raw.value;
    if (bytes === null) return null;
    try {
      return serde.deserialize(raw.topic, bytes, raw.headers);
    } catch (cause) {
      throw new SerializationError(
        `Output topic '${this.topic}' could not deserialize the ${part} at partition ${raw.partition} offset ` +
          `${raw.offset} with serde '${serde.name}': ${cause instanceof Error ? cause.message : String(cause)}; ` +
          `pass the ${part} serde the sink writes with to createOutputTopic`,
        { cause },
      );
    }
  }
}
