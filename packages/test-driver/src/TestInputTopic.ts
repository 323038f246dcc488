import { Headers, type Serde, SerializationError, StreamsError } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { DriverHost } from './internal/DriverHost.js';
import type { TestRecord } from './TestRecord.js';

/**
 * Pipes records into one topic of a TopologyTestDriver. Each pipe serializes with this topic's serdes, picks
 * the partition like a producer, and returns after the record (and everything it caused, through
 * repartition topics) has been processed. Records without a timestamp get the topic's current time, which
 * starts at the driver's wall-clock time (or `startTimestampMs`) and advances by `autoAdvanceMs` per record.
 */
export class TestInputTopic<K, V> {
  private currentTimeMs: number;

  /** @internal created by `TopologyTestDriver.createInputTopic` */
  constructor(
    private readonly host: DriverHost,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    startTimestampMs: number,
    private readonly autoAdvanceMs: number,
  ) {
    this.currentTimeMs = startTimestampMs;
  }

  pipeInput(key: K | null, value: V | null, timestamp?: number, headers?: Headers): void {
    this.send(key, value, timestamp, headers, undefined);
  }

  /** Pipe a value with a null key. */
  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeRecord({ key: null, value, timestamp });
  }

  /** Pipe one record; `partition` forces the partition. */
  pipeRecord(record: TestRecord<K, V>): void {
    this.send(record.key, record.value, record.timestamp, record.headers, record.partition);
  }

  private send(
    keyData: K | null,
    valueData: V | null,
    timestampMs: number | undefined,
    headersOrUndefined: Headers | undefined,
    partition: number | undefined,
  ): void {
    const headers = headersOrUndefined ?? new Headers();
    let timestamp = timestampMs;
    if (timestamp === undefined) {
      timestamp = this.currentTimeMs;
      this.currentTimeMs += this.autoAdvanceMs;
    }
    const key = this.serialize('key', this.keySerde, keyData, headers);
    const value = this.serialize('value', this.valueSerde, valueData, headers);
    this.host.pipe(this.topic, partition, key, value, timestamp, headers);
  }

  pipeRecordList(records: Iterable<TestRecord<K, V>>): void {
    for (const record of records) this.pipeRecord(record);
  }

  /** Pipe key-value pairs; timestamps from `startTimestampMs` (default: the topic's current time) + `advanceMs` each. */
  pipeKeyValueList(
    pairs: Iterable<KeyValue<K | null, V | null>>,
    startTimestampMs?: number,
    advanceMs = 0,
  ): void {
    let timestamp = startTimestampMs;
    for (const pair of pairs) {
      this.pipeRecord({ key: pair.key, value: pair.value, timestamp });
      if (timestamp !== undefined) timestamp += advanceMs;
    }
  }

  pipeValueList(values: Iterable<V | null>, startTimestampMs?: number, advanceMs = 0): void {
    let timestamp = startTimestampMs;
    for (const value of values) {
      this.pipeRecord({ key: null, value, timestamp });
      if (timestamp !== undefined) timestamp += advanceMs;
    }
  }

  /** Move this topic's current time (for records piped without a timestamp). */
  advanceTime(ms: number): void {
    if (ms < 0)
      throw new StreamsError(
        `advanceTime(${ms}): time cannot go backwards; pass a timestamp explicitly instead`,
      );
    this.currentTimeMs += ms;
  }

  private serialize<T>(
    part: 'key' | 'value',
    serde: Serde<T>,
    data: T | null,
    headers: Headers,
  ): Buffer | null {
    if (data === null || data === undefined) return null;
    try {
      return serde.serialize(this.topic, data, headers);
    } catch (cause) {
      if (cause instanceof SerializationError) throw cause;
      throw new SerializationError(
        `Input topic '${this.topic}' could not serialize the ${part} with serde '${serde.name}': ${
          cause instanceof Error ? cause.message : String(cause)
        }; pass a ${part} serde matching the ${part} type to createInputTopic`,
        { cause },
      );
    }
  }
}
