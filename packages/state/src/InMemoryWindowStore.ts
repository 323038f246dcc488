import { type Windowed, windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import { InvalidStateStoreError } from './InvalidStateStoreError.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import { MapKeyMemo } from './internal/MapKeyMemo.js';
import { OrderedBytesMap } from './internal/OrderedBytesMap.js';
import { SortedNumbers } from './internal/SortedNumbers.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import { WindowKeySchema } from './WindowKeySchema.js';

/** The value(s) of one (key, window start); `more` holds further values only when retaining duplicates. */
interface WindowEntry {
  readonly key: Buffer;
  /** Replaced in place on an update (iterators read entries live, so this is what they would see anyway). */
  value: Buffer;
  more: Buffer[] | undefined;
}

/**
 * A bytes window store held in memory: one segment per window start (a byte-ordered map of keys), segments
 * dropped as soon as the observed stream time (the largest window start put) moves past their retention.
 * See {@link BytesWindowStore} for the semantics. `close()` drops the content.
 */
export class InMemoryWindowStore implements BytesWindowStore {
  readonly persistent = false;
  private readonly segments = new Map<number, OrderedBytesMap<WindowEntry>>();
  private readonly starts = new SortedNumbers();
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private state: 'created' | 'open' | 'closed' = 'created';
  private readonly mapKeys = new MapKeyMemo();
  /** Puts ignored because their window had already expired. */
  expiredPuts = 0;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
  ) {}

  init(_context: StateStoreContext): void {
    this.state = 'open';
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  flush(): void {
    // nothing buffered
  }

  close(): void {
    this.segments.clear();
    this.starts.values = [];
    this.state = 'closed';
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.check();
    this.write(key, value, windowStart);
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    this.check();
    if (windowStart < this.minLiveTime()) return null;
    return this.segments.get(windowStart)?.get(this.mapKeys.of(key))?.value ?? null;
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer> {
    this.check();
    const starts = this.starts.slice(Math.max(timeFrom, this.minLiveTime()), timeTo);
    const mapKey = this.mapKeys.of(key);
    const segments = this.segments;
    return new GeneratorIterator(
      (function* (): Generator<KeyValue<number, Buffer>, void, undefined> {
        for (const start of starts) {
          const entry = segments.get(start)?.get(mapKey);
          if (entry === undefined) continue;
          yield { key: start, value: entry.value };
          if (entry.more !== undefined) for (const value of entry.more) yield { key: start, value };
        }
      })(),
    );
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    this.check();
    const starts = this.starts.slice(Math.max(timeFrom, this.minLiveTime()), timeTo);
    const from = keyFrom?.toString('latin1');
    const to = keyTo?.toString('latin1');
    const segments = this.segments;
    const size = this.windowSizeMs;
    return new GeneratorIterator(
      (function* (): Generator<KeyValue<Windowed<Buffer>, Buffer>, void, undefined> {
        if (from !== undefined && to !== undefined && from > to) return;
        for (const start of starts) {
          const segment = segments.get(start);
          if (segment === undefined) continue;
          for (const entry of segment.range(from, to)) {
            const key = windowed(entry.key, start, start + size);
            yield { key, value: entry.value };
            if (entry.more !== undefined) for (const value of entry.more) yield { key, value };
          }
        }
      })(),
    );
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, timeFrom, timeTo);
  }

  all(): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.check();
    const dups = this.retainDuplicates;
    for (const record of records) {
      const key = WindowKeySchema.extractKey(record.key, dups);
      this.write(key, record.value, WindowKeySchema.extractWindowStart(record.key, dups));
    }
  }

  /** The smallest live window start: windows with start <= observed stream time - retention have expired. */
  private minLiveTime(): number {
    return this.observedStreamTime - this.retentionMs + 1;
  }

  private write(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (windowStart > this.observedStreamTime) {
      this.observedStreamTime = windowStart;
      for (const expired of this.starts.removeBelow(this.minLiveTime())) this.segments.delete(expired);
    }
    if (windowStart < this.minLiveTime()) {
      this.expiredPuts++;
      return;
    }
    const mapKey = this.mapKeys.of(key);
    if (value !== null) {
      let segment = this.segments.get(windowStart);
      if (segment === undefined) {
        segment = new OrderedBytesMap();
        this.segments.set(windowStart, segment);
        this.starts.insert(windowStart);
      }
      const existing = segment.get(mapKey);
      if (existing === undefined) segment.set(mapKey, { key, value, more: undefined });
      else if (!this.retainDuplicates) existing.value = value;
      else if (existing.more === undefined) existing.more = [value];
      else existing.more.push(value);
    } else if (!this.retainDuplicates) {
      const segment = this.segments.get(windowStart);
      if (segment !== undefined && segment.delete(mapKey) !== undefined && segment.size === 0) {
        this.segments.delete(windowStart);
        this.starts.remove(windowStart);
      }
    }
  }

  private check(): void {
    if (this.state !== 'open') {
      throw this.state === 'created'
        ? InvalidStateStoreError.notInitialised(this.name)
        : InvalidStateStoreError.closed(this.name);
    }
  }
}
