import { type ConsumerRecord, Headers } from '@tributary/core';

const CHUNK_BYTES = 1 << 20;
const NULL_LENGTH = -1;

/** Makes something of one record taken from an {@link OutputLog} (see `takeWith`). */
export interface OutputReader<R> {
  read(
    topic: string,
    partition: number,
    offset: number,
    chunk: Buffer,
    keyStart: number,
    /** -1: null key */
    keyLength: number,
    valueStart: number,
    /** -1: null value */
    valueLength: number,
    timestamp: number,
    headers: Headers,
  ): R;
}

/** The bytes at `start` of `chunk` as a Buffer view, or null for length -1. */
export function viewOf(chunk: Buffer, start: number, length: number): Buffer | null {
  if (length === NULL_LENGTH) return null;
  // Buffer.from(arrayBuffer, offset, length) is cheaper than subarray
  return Buffer.from(chunk.buffer, chunk.byteOffset + start, length);
}

/**
 * Everything written to one topic, in write order across partitions, with a read cursor.
 *
 * Records are stored compactly rather than as objects: key and value bytes are copied into large byte
 * chunks and the metadata (partition, offset, timestamp, lengths) into typed-array columns, so a long unread
 * log holds no per-record heap objects for the garbage collector to copy and promote (it used to dominate
 * the driver's throughput). `takeWith()` hands a reader the chunk and the record's place in it (keys and
 * values are read as views of the chunk, which is never overwritten, or decoded from it directly). Non-empty
 * headers are kept as a copy taken at write (what a producer would have serialized), empty ones are
 * recreated at read.
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

  /**
   * Remove the oldest unread record and return what `reader` makes of it (undefined when all are read). The
   * reader gets the chunk holding the key and value bytes (never overwritten: views of it stay valid) and
   * where they are (length -1 = null), so it can decode them without a ConsumerRecord or, for strings,
   * without a view.
   */
  takeWith<R>(reader: OutputReader<R>): R | undefined {
    const index = this.position;
    if (index >= this.written) return undefined;
    const chunk = this.chunks[this.chunkIndexes[index]!]!;
    const keyStart = this.starts[index]!;
    const keyLength = this.keyLengths[index]!;
    const valueLength = this.valueLengths[index]!;
    const valueStart = keyLength === NULL_LENGTH ? keyStart : keyStart + keyLength;
    let headers = this.headers.size === 0 ? undefined : this.headers.get(index);
    if (headers === undefined) headers = new Headers();
    else this.headers.delete(index);
    const partition = this.partitions[index]!;
    const offset = this.offsets[index]!;
    const timestamp = this.timestamps[index]!;
    this.position = index + 1;
    if (this.position === this.written) {
      // all read: start the columns over (the chunk is not reused: taken keys and values are views of it)
      this.position = 0;
      this.written = 0;
      this.chunks = [this.chunk];
    }
    return reader.read(
      this.topic,
      partition,
      offset,
      chunk,
      keyStart,
      keyLength,
      valueStart,
      valueLength,
      timestamp,
      headers,
    );
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
