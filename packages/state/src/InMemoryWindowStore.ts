import { type Windowed, windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import { ExpiringSegments } from './internal/ExpiringSegments.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import { InMemoryStoreLifecycle } from './internal/InMemoryStoreLifecycle.js';
import { MapKeyMemo } from './internal/MapKeyMemo.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
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
export class InMemoryWindowStore extends InMemoryStoreLifecycle implements BytesWindowStore {
  /** One segment per window start. */
  private readonly segments: ExpiringSegments<WindowEntry>;
  private readonly mapKeys = new MapKeyMemo();
  /** Puts ignored because their window had already expired. */
  expiredPuts = 0;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates: boolean,
  ) {
    super();
    this.segments = new ExpiringSegments(retentionMs);
  }

  protected clear(): void {
    this.segments.clear();
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.check();
    this.write(key, value, windowStart);
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    this.check();
    if (windowStart < this.segments.minLiveTime()) return null;
    return this.segments.get(windowStart)?.get(this.mapKeys.of(key))?.value ?? null;
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer> {
    this.check();
    const starts = this.segments.liveTimes(timeFrom, timeTo);
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
    const starts = this.segments.liveTimes(timeFrom, timeTo);
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

  private write(key: Buffer, value: Buffer | null, windowStart: number): void {
    const segments = this.segments;
    segments.observe(windowStart);
    if (windowStart < segments.minLiveTime()) {
      this.expiredPuts++;
      return;
    }
    const mapKey = this.mapKeys.of(key);
    if (value !== null) {
      const segment = segments.getOrCreate(windowStart);
      const existing = segment.get(mapKey);
      if (existing === undefined) segment.set(mapKey, { key, value, more: undefined });
      else if (!this.retainDuplicates) existing.value = value;
      else if (existing.more === undefined) existing.more = [value];
      else existing.more.push(value);
    } else if (!this.retainDuplicates) {
      const segment = segments.get(windowStart);
      if (segment !== undefined && segment.delete(mapKey) !== undefined)
        segments.dropIfEmpty(windowStart, segment);
    }
  }
}
