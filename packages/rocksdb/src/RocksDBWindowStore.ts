import { type Windowed, windowed } from '@tributary/core';
import type { BytesWindowStore, KeyValue, KeyValueIterator, RestoreRecord } from '@tributary/state';
import { BigEndianTimestamp, GeneratorIterator, WindowKeySchema } from '@tributary/state';
import { RocksDBSegmentedStore } from './internal/RocksDBSegmentedStore.js';

interface FoundWindow {
  readonly key: Buffer;
  readonly start: number;
  readonly value: Buffer;
}

/**
 * A bytes window store in RocksDB (see {@link BytesWindowStore} for the semantics), transactional like
 * {@link RocksDBKeyValueStore}. Database keys are the segment id of the window start followed by the
 * changelog layout (key, start, and a sequence number when duplicates are retained), so the windows of one
 * key are one contiguous scan per segment. The sequence number is kept in the checkpoint, so appends after a
 * restart never overwrite committed duplicates.
 */
export class RocksDBWindowStore extends RocksDBSegmentedStore implements BytesWindowStore {
  private seqnum = 0;
  private readonly suffix: number;

  constructor(
    name: string,
    retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
  ) {
    super(name, retentionMs);
    this.suffix = retainDuplicates ? 12 : 8;
  }

  protected override opened(): void {
    super.opened();
    this.seqnum = this.db.checkpoint().extra.seqnum ?? 0;
  }

  protected override checkpointExtra(): Record<string, number> {
    return this.retainDuplicates
      ? { ...super.checkpointExtra(), seqnum: this.seqnum }
      : super.checkpointExtra();
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (!this.observe(windowStart)) {
      this.expiredPuts++;
      return;
    }
    if (this.retainDuplicates) {
      if (value === null) return;
      this.seqnum = (this.seqnum + 1) & 0x7fffffff;
      this.db.put(this.windowKey(key, windowStart, this.seqnum), value);
    } else {
      this.db.put(this.windowKey(key, windowStart), value);
    }
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    if (windowStart < this.minLiveTime()) return null;
    if (!this.retainDuplicates) return this.db.get(this.windowKey(key, windowStart));
    const scan = this.scanKey(key, windowStart, windowStart);
    try {
      const first = scan.next();
      return first.done ? null : first.value.value;
    } finally {
      scan.return(); // closes the native iterator now rather than at garbage collection
    }
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer> {
    return new GeneratorIterator(this.scanKey(key, timeFrom, timeTo));
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new GeneratorIterator(this.scanKeyRange(keyFrom, keyTo, timeFrom, timeTo));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, timeFrom, timeTo);
  }

  all(): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  protected restoreOne(record: RestoreRecord, keys: Buffer[], values: (Buffer | null)[]): void {
    const dups = this.retainDuplicates;
    const start = WindowKeySchema.extractWindowStart(record.key, dups);
    if (!this.observe(start)) return;
    if (dups) {
      const seqnum = WindowKeySchema.extractSeqnum(record.key);
      if (seqnum > this.seqnum) this.seqnum = seqnum;
      if (record.value === null) return;
    }
    keys.push(this.databaseKey(start, record.key));
    values.push(record.value);
  }

  private windowKey(key: Buffer, windowStart: number, seqnum?: number): Buffer {
    return this.databaseKey(windowStart, WindowKeySchema.toStoreKeyBinary(key, windowStart, seqnum));
  }

  /** The windows of one key with start in [timeFrom, timeTo], in start (then put) order. */
  private *scanKey(key: Buffer, timeFrom: number, timeTo: number): Generator<KeyValue<number, Buffer>, void> {
    const from = Math.max(timeFrom, this.minLiveTime());
    const length = 8 + key.length + this.suffix;
    for (const segment of this.segmentIds(from, timeTo)) {
      const lower = this.segmentPrefix(segment, WindowKeySchema.toStoreKeyBinary(key, Math.max(from, 0)));
      const upper =
        timeTo === Number.POSITIVE_INFINITY
          ? RocksDBSegmentedStore.successor(this.segmentPrefix(segment, key))
          : this.segmentPrefix(segment, WindowKeySchema.toStoreKeyBinary(key, timeTo + 1));
      for (const entry of this.db.range(lower, upper)) {
        if (entry.key.length !== length) continue; // a longer key that starts with the same bytes
        const start = BigEndianTimestamp.read(entry.key, 8 + key.length);
        if (start < from || start > timeTo) continue;
        yield { key: start, value: entry.value };
      }
    }
  }

  /** Windows of keys in [keyFrom, keyTo] with start in [timeFrom, timeTo], by start, then key bytes. */
  private *scanKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): Generator<KeyValue<Windowed<Buffer>, Buffer>, void> {
    if (keyFrom !== undefined && keyTo !== undefined && Buffer.compare(keyFrom, keyTo) > 0) return;
    const from = Math.max(timeFrom, this.minLiveTime());
    const size = this.windowSizeMs;
    for (const segment of this.segmentIds(from, timeTo)) {
      const lower = this.segmentPrefix(segment, keyFrom);
      const upper = RocksDBSegmentedStore.successor(this.segmentPrefix(segment, keyTo));
      const found: FoundWindow[] = [];
      for (const entry of this.db.range(lower, upper)) {
        const tail = RocksDBSegmentedStore.tailOf(entry.key);
        const key = WindowKeySchema.extractKey(tail, this.retainDuplicates);
        if (keyFrom !== undefined && Buffer.compare(key, keyFrom) < 0) continue;
        if (keyTo !== undefined && Buffer.compare(key, keyTo) > 0) continue;
        const start = WindowKeySchema.extractWindowStart(tail, this.retainDuplicates);
        if (start < from || start > timeTo) continue;
        found.push({ key, start, value: entry.value });
      }
      // Within a segment the database orders by key; the contract is start first (sort is stable).
      found.sort((a, b) => a.start - b.start || Buffer.compare(a.key, b.key));
      for (const w of found) yield { key: windowed(w.key, w.start, w.start + size), value: w.value };
    }
  }
}
