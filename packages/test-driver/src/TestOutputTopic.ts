import { type Headers, type Serde, Serdes, SerializationError, StreamsError } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { DriverHost } from './internal/DriverHost.js';
import { type OutputReader, viewOf } from './internal/OutputLog.js';
import type { OutputRecord } from './OutputRecord.js';

const STRING_SERDE = Serdes.String() as Serde<unknown>;

/**
 * Reads what the topology wrote to one topic, in write order (across partitions), deserialized with this
 * topic's serdes. Every read consumes: a record is returned once.
 */
export class TestOutputTopic<K, V> {
  /** Deserializes records taken from the topic's output log into OutputRecords. */
  private readonly reader: OutputReader<OutputRecord<K, V>>;

  /** @internal created by `TopologyTestDriver.createOutputTopic` */
  constructor(
    private readonly host: DriverHost,
    readonly topic: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ) {
    this.reader = {
      read: (
        topic,
        partition,
        offset,
        chunk,
        keyStart,
        keyLength,
        valueStart,
        valueLength,
        timestamp,
        headers,
      ) => ({
        topic,
        key: this.read('key', keySerde, chunk, keyStart, keyLength, partition, offset, headers),
        value: this.read('value', valueSerde, chunk, valueStart, valueLength, partition, offset, headers),
        timestamp,
        headers,
        partition,
        offset,
      }),
    };
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const record = this.readRecord();
    return { key: record.key, value: record.value };
  }

  readRecord(): OutputRecord<K, V> {
    const record = this.host.outputLog(this.topic)?.takeWith(this.reader);
    if (record === undefined) {
      throw new StreamsError(
        `Output topic '${this.topic}' has no more records; check isEmpty() or getQueueSize() before reading`,
      );
    }
    return record;
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
    const log = this.host.outputLog(this.topic);
    if (log === undefined) return out;
    const reader = this.reader;
    for (let record = log.takeWith(reader); record !== undefined; record = log.takeWith(reader)) {
      out.push(record);
    }
    return out;
  }

  isEmpty(): boolean {
    return this.host.outputSize(this.topic) === 0;
  }

  getQueueSize(): number {
    return this.host.outputSize(this.topic);
  }

  private read<T>(
    part: 'key' | 'value',
    serde: Serde<T>,
    chunk: Buffer,
    start: number,
    length: number,
    partition: number,
    offset: number,
    headers: Headers,
  ): T | null {
    if (length < 0) return null;
    try {
      // a String is decoded straight from the log's chunk: the same characters as from a view, without one
      if (serde === STRING_SERDE) return chunk.toString('utf8', start, start + length) as T;
      return serde.deserialize(this.topic, viewOf(chunk, start, length)!, headers);
    } catch (cause) {
      throw new SerializationError(
        `Output topic '${this.topic}' could not deserialize the ${part} at partition ${partition} offset ` +
          `${offset} with serde '${serde.name}': ${cause instanceof Error ? cause.message : String(cause)}; ` +
          `pass the ${part} serde the sink writes with to createOutputTopic`,
        { cause },
      );
    }
  }
}
