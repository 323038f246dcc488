import {
  type ConsumerRecord,
  Record,
  SerializationError,
  StreamsError,
  type TopicPartition,
} from '@tributary/core';
import type { SourceNode } from '@tributary/dsl';
import type { NegativeTimestampPolicy } from './NegativeTimestampPolicy.js';
import type { StampedRecord } from './StampedRecord.js';

const UNKNOWN = -1;

/**
 * Called when a source cannot deserialize a record: return to skip it, throw to stop (`failure` names the
 * record; `cause` is what the serde threw).
 */
export type DeserializationErrorCallback = (
  raw: ConsumerRecord,
  cause: unknown,
  failure: SerializationError,
) => void;

const FAIL: DeserializationErrorCallback = (_raw, _cause, failure) => {
  throw failure;
};

/**
 * The buffer of one input partition of a task. The head record is deserialized (with the source's serdes)
 * and timestamped (with its extractor) as soon as it becomes the head, so the PartitionGroup can order
 * partitions by head timestamp. Partition time is the highest timestamp seen at the head.
 */
export class RecordQueue {
  /** Timestamp/offset meaning "none yet". */
  static readonly UNKNOWN = UNKNOWN;

  private buffer: ConsumerRecord[] = [];
  private position = 0;
  private head: StampedRecord | undefined;
  private partitionTimeMs = UNKNOWN;
  private lastPolledOffset = UNKNOWN;
  /** Offset of the last record skipped at the head (undeserializable or with a dropped timestamp). */
  private lastSkippedOffset = UNKNOWN;

  /**
   * `onDropped` is told of a record skipped for its negative timestamp (`negativeTimestamp: 'drop'`),
   * `onDeserializationError` of one the source's serdes cannot read (default: throw).
   */
  constructor(
    readonly partition: TopicPartition,
    readonly source: SourceNode,
    private readonly negativeTimestamp: NegativeTimestampPolicy,
    private readonly onDropped: (record: ConsumerRecord) => void,
    private readonly onDeserializationError: DeserializationErrorCallback = FAIL,
  ) {}

  /** Append records (in offset order); returns the number now buffered. */
  addRawRecords(records: Iterable<ConsumerRecord>): number {
    for (const record of records) this.buffer.push(record);
    if (this.head === undefined) this.updateHead();
    return this.size();
  }

  /** Append one record; returns the number now buffered. */
  addRawRecord(record: ConsumerRecord): number {
    if (this.head === undefined && this.position === this.buffer.length) {
      // fast path: empty queue, the record becomes the head directly
      const stamped = this.stamp(record);
      if (stamped !== undefined) {
        if (stamped.record.timestamp > this.partitionTimeMs) this.partitionTimeMs = stamped.record.timestamp;
        this.head = stamped;
      }
      return this.size();
    }
    this.buffer.push(record);
    if (this.head === undefined) this.updateHead();
    return this.size();
  }

  /** Remove and return the head record. */
  poll(): StampedRecord | undefined {
    const head = this.head;
    if (head === undefined) return undefined;
    this.head = undefined;
    this.lastPolledOffset = head.raw.offset;
    this.updateHead();
    return head;
  }

  /** Timestamp of the head record, or UNKNOWN (-1) when empty. */
  headRecordTimestamp(): number {
    return this.head === undefined ? UNKNOWN : this.head.record.timestamp;
  }

  isEmpty(): boolean {
    return this.head === undefined;
  }

  size(): number {
    return this.buffer.length - this.position + (this.head === undefined ? 0 : 1);
  }

  /** Highest timestamp seen on this partition, or UNKNOWN. */
  partitionTime(): number {
    return this.partitionTimeMs;
  }

  /**
   * Offset of the last record handed out by `poll` or skipped, or UNKNOWN. A skipped record counts as consumed,
   * so a commit moves past it and it is not read (and handled) again after a restart.
   */
  lastConsumedOffset(): number {
    return Math.max(this.lastSkippedOffset, this.lastPolledOffset);
  }

  clear(): void {
    this.buffer = [];
    this.position = 0;
    this.head = undefined;
  }

  private updateHead(): void {
    while (this.head === undefined && this.position < this.buffer.length) {
      const raw = this.buffer[this.position++]!;
      if (this.position > 4096 && this.position * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.position);
        this.position = 0;
      }
      const stamped = this.stamp(raw);
      if (stamped === undefined) continue;
      if (stamped.record.timestamp > this.partitionTimeMs) this.partitionTimeMs = stamped.record.timestamp;
      this.head = stamped;
    }
    if (this.position === this.buffer.length && this.position > 0) {
      this.buffer.length = 0;
      this.position = 0;
    }
  }

  private stamp(raw: ConsumerRecord): StampedRecord | undefined {
    const source = this.source;
    let key: unknown = null;
    let value: unknown = null;
    try {
      if (raw.key !== null) key = source.keySerde.deserialize(raw.topic, raw.key, raw.headers);
    } catch (cause) {
      this.onDeserializationError(
        raw,
        cause,
        this.deserializationError('key', source.keySerde.name, raw, cause),
      );
      return this.skip(raw);
    }
    try {
      if (raw.value !== null) value = source.valueSerde.deserialize(raw.topic, raw.value, raw.headers);
    } catch (cause) {
      this.onDeserializationError(
        raw,
        cause,
        this.deserializationError('value', source.valueSerde.name, raw, cause),
      );
      return this.skip(raw);
    }
    let timestamp = raw.timestamp;
    const extractor = source.timestampExtractor;
    if (extractor !== undefined) {
      timestamp = extractor({ key, value, timestamp: raw.timestamp, topic: raw.topic }, this.partitionTimeMs);
    }
    if (timestamp < 0 || !Number.isFinite(timestamp)) {
      if (this.negativeTimestamp === 'drop') {
        this.onDropped(raw);
        return this.skip(raw);
      }
      throw new StreamsError(
        `Record at topic '${raw.topic}' partition ${raw.partition} offset ${raw.offset} has invalid timestamp ` +
          `${timestamp} (source '${source.name}'${extractor === undefined ? '' : ', custom timestamp extractor'}); ` +
          `write records with timestamps >= 0, fix the timestamp extractor, or set negativeTimestamp: 'drop' to skip and count them`,
      );
    }
    return { record: new Record(key, value, timestamp, raw.headers), raw, source };
  }

  private skip(raw: ConsumerRecord): undefined {
    if (raw.offset > this.lastSkippedOffset) this.lastSkippedOffset = raw.offset;
    return undefined;
  }

  private deserializationError(
    part: 'key' | 'value',
    serde: string,
    raw: ConsumerRecord,
    cause: unknown,
  ): SerializationError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new SerializationError(
      `Could not deserialize the ${part} of the record at topic '${raw.topic}' partition ${raw.partition} ` +
        `offset ${raw.offset} with ${part} serde '${serde}' of source '${this.source.name}': ${reason}; ` +
        `check that the source's serdes (Consumed.with) match what the producer of '${raw.topic}' writes`,
      { cause },
    );
  }
}
