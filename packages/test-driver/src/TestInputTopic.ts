import { Headers, type Serde, SerializationError, StreamsError } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { DriverHost } from './internal/DriverHost.js';
import type { TestRecord } from './TestRecord.js';

interface SerializedInput {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly partition: number | undefined;
}

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
    headers: Headers | undefined,
    partition: number | undefined,
  ): void {
    const r = this.serializeRecord(keyData, valueData, timestampMs, headers, partition);
    this.host.pipe(this.topic, r.partition, r.key, r.value, r.timestamp, r.headers);
  }

  private serializeRecord(
    keyData: K | null,
    valueData: V | null,
    timestampMs: number | undefined,
    headersOrUndefined: Headers | undefined,
    partition: number | undefined,
  ): SerializedInput {
    const headers = headersOrUndefined ?? new Headers();
    let timestamp = timestampMs;
    if (timestamp === undefined) {
      timestamp = this.currentTimeMs;
      this.currentTimeMs += this.autoAdvanceMs;
    }
    const key = this.serialize('key', this.keySerde, keyData, headers);
    const value = this.serialize('value', this.valueSerde, valueData, headers);
    return { topic: this.topic, key, value, timestamp, headers, partition };
  }

  /**
   * Pipe records as one batch, awaiting the serdes' `prepare` hooks first, as the stream thread does per poll:
   * this topic's serdes for writing, then the topology's serdes for these records and for its sinks. Use it
   * with serdes that fetch from a registry (e.g. Avro), which cannot serialize or deserialize before that.
   */
  async pipeRecordListAsync(records: Iterable<TestRecord<K, V>>): Promise<void> {
    const list = [...records];
    const write = (serde: Serde<unknown>, isKey: boolean) =>
      serde.prepare?.({ mode: 'write', topic: this.topic, isKey, records: [] });
    await Promise.all([
      write(this.keySerde as Serde<unknown>, true),
      write(this.valueSerde as Serde<unknown>, false),
    ]);
    const serialized = list.map((r) =>
      this.serializeRecord(r.key, r.value, r.timestamp, r.headers, r.partition),
    );
    await this.host.prepare(serialized);
    for (const r of serialized)
      this.host.pipe(this.topic, r.partition, r.key, r.value, r.timestamp, r.headers);
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
