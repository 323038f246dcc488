import { type ConsumerRecord, Headers } from '@tributary/core';

const CHUNK_BYTES = 1 << 20;
const NULL_LENGTH = -1;

/**
 * Everything written to one topic, in write order across partitions, with a read cursor.
 *
 * Records are stored compactly rather than as objects: key and value bytes are copied into large byte
 * chunks and the metadata (partition, offset, timestamp, lengths) into typed-array columns, so a long unread
 * log holds no per-record heap objects for the garbage collector to copy and promote (it used to dominate
 * the driver's throughput). `take()` rebuilds the ConsumerRecord; its key and value are views of the chunk,
 * which is never overwritten. Non-empty headers are kept as a copy taken at write (what a producer would
 * have serialized), empty ones are recreated at read.
 */
export class OutputLog {
  private chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private chunkUsed = 0;
  /** The chunks holding unread records' bytes; per record, the index of its chunk and where its key starts. */
  private chunks: Buffer[] = [this.chunk];
  private chunkIndexes = new Int32Array(1024);
  private starts = new Int32Array(1024);
  private partitions = new Int32Array(1024);
  private keyLengths = new Int32Array(1024);
  private valueLengths = new Int32Array(1024);
  private offsets = new Float64Array(1024);
  private timestamps = new Float64Array(1024);
  private readonly headers = new Map<number, Headers>();
  private written = 0;
  private position = 0;

  constructor(private readonly topic: string) {}

  append(record: ConsumerRecord): void {
    this.write(record.partition, record.offset, record.key, record.value, record.timestamp, record.headers);
  }

  write(
    partition: number,
    offset: number,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void {
    const index = this.written;
    if (index === this.starts.length) this.grow();
    const keyLength = key === null ? 0 : key.length;
    const valueLength = value === null ? 0 : value.length;
    const bytes = keyLength + valueLength;
    if (this.chunkUsed + bytes > this.chunk.length) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, bytes));
      this.chunkUsed = 0;
      this.chunks.push(this.chunk);
    }
    const chunk = this.chunk;
    let at = this.chunkUsed;
    this.chunkIndexes[index] = this.chunks.length - 1;
    this.starts[index] = at;
    if (key !== null) {
      chunk.set(key, at);
      at += keyLength;
    }
    if (value !== null) {
      chunk.set(value, at);
      at += valueLength;
    }
    this.chunkUsed = at;
    this.keyLengths[index] = key === null ? NULL_LENGTH : keyLength;
    this.valueLengths[index] = value === null ? NULL_LENGTH : valueLength;
    this.partitions[index] = partition;
    this.offsets[index] = offset;
    this.timestamps[index] = timestamp;
    // a copy, as a producer serializes headers at send: later changes by processors do not reach the topic
    if (headers.size > 0) this.headers.set(index, headers.copy());
    this.written = index + 1;
  }

  /** Remove and return the oldest unread record. */
  take(): ConsumerRecord | undefined {
    const index = this.position;
    if (index >= this.written) return undefined;
    const chunk = this.chunks[this.chunkIndexes[index]!]!;
    let at = this.starts[index]!;
    const keyLength = this.keyLengths[index]!;
    const valueLength = this.valueLengths[index]!;
    let key: Buffer | null = null;
    let value: Buffer | null = null;
    // views of the chunk (Buffer.from(arrayBuffer, offset, length) is cheaper than subarray)
    const arrayBuffer = chunk.buffer;
    at += chunk.byteOffset;
    if (keyLength !== NULL_LENGTH) {
      key = Buffer.from(arrayBuffer, at, keyLength);
      at += keyLength;
    }
    if (valueLength !== NULL_LENGTH) value = Buffer.from(arrayBuffer, at, valueLength);
    let headers = this.headers.size === 0 ? undefined : this.headers.get(index);
    if (headers === undefined) headers = new Headers();
    else this.headers.delete(index);
    const record: ConsumerRecord = {
      topic: this.topic,
      partition: this.partitions[index]!,
      offset: this.offsets[index]!,
      key,
      value,
      timestamp: this.timestamps[index]!,
      headers,
    };
    this.position = index + 1;
    if (this.position === this.written) {
      // all read: start the columns over (the chunk is not reused: taken keys and values are views of it)
      this.position = 0;
      this.written = 0;
      this.chunks = [this.chunk];
    }
    return record;
  }

  size(): number {
    return this.written - this.position;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    this.chunkIndexes = growInt32(this.chunkIndexes, capacity);
    this.starts = growInt32(this.starts, capacity);
    this.partitions = growInt32(this.partitions, capacity);
    this.keyLengths = growInt32(this.keyLengths, capacity);
    this.valueLengths = growInt32(this.valueLengths, capacity);
    this.offsets = growFloat64(this.offsets, capacity);
    this.timestamps = growFloat64(this.timestamps, capacity);
  }
}

function growInt32(from: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const to = new Int32Array(capacity);
  to.set(from);
  return to;
}

function growFloat64(from: Float64Array<ArrayBuffer>, capacity: number): Float64Array<ArrayBuffer> {
  const to = new Float64Array(capacity);
  to.set(from);
  return to;
}
