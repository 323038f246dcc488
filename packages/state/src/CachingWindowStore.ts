import { type Windowed, windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { InvalidStateStoreError } from './InvalidStateStoreError.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import type { CacheEntry } from './internal/NamedCache.js';
import { WindowMapKeyMemo } from './internal/WindowMapKeyMemo.js';
import { WriteBackCache } from './internal/WriteBackCache.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { StateStoreContext } from './StateStoreContext.js';
import { WindowKeySchema } from './WindowKeySchema.js';

/**
 * A write-back cache in front of a bytes window store (not for stores retaining duplicates), with the same
 * flush semantics as {@link CachingKeyValueStore}: writes are deduplicated per (key, window start) until
 * `flush()` or eviction, then written through and passed to the flush listener with the windowed key.
 * Point fetches read the cache first; scans merge the cache into the wrapped store's results (materialized,
 * ordered by window start, then key bytes), which costs a pass over the cache.
 */
export class CachingWindowStore
  extends WriteBackCache<BytesWindowStore, Windowed<Buffer>>
  implements BytesWindowStore, CachedStateStore<Windowed<Buffer>, Buffer>
{
  private readonly mapKeys = new WindowMapKeyMemo();

  constructor(wrapped: BytesWindowStore) {
    super(wrapped, WindowKeySchema.TIMESTAMP_SIZE);
  }

  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }
  get retainDuplicates(): boolean {
    return false;
  }

  override init(context: StateStoreContext): void {
    if (this.wrapped.retainDuplicates) {
      throw new InvalidStateStoreError(
        `Window store '${this.name}' retains duplicates and cannot be cached; build it withCachingDisabled()`,
      );
    }
    super.init(context);
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    const cache = this.cache();
    cache.putDirty(
      this.mapKeys.of(key, windowStart),
      key,
      value,
      this.currentTimestamp(),
      windowStart,
      windowStart + this.windowSizeMs,
    );
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    const cache = this.cache();
    const cached = cache.get(this.mapKeys.of(key, windowStart));
    if (cached !== undefined) return cached.value;
    return this.wrapped.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer> {
    const merged = this.merge(
      this.wrapped.fetchKeyRange(key, key, timeFrom, timeTo),
      key,
      key,
      timeFrom,
      timeTo,
    );
    return new GeneratorIterator(
      (function* (): Generator<KeyValue<number, Buffer>, void, undefined> {
        for (const entry of merged) yield { key: entry.key.window.start, value: entry.value };
      })(),
    );
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const stored = this.wrapped.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo);
    return new GeneratorIterator(this.merge(stored, keyFrom, keyTo, timeFrom, timeTo)[Symbol.iterator]());
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, timeFrom, timeTo);
  }

  all(): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.fetchKeyRange(undefined, undefined, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** The wrapped store's entries overlaid with the cache's, ordered by window start, then key bytes. */
  private merge(
    stored: KeyValueIterator<Windowed<Buffer>, Buffer>,
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    const cache = this.cache();
    const byId = new Map<string, KeyValue<Windowed<Buffer>, Buffer>>();
    for (const entry of stored) {
      byId.set(
        WindowKeySchema.toStoreKeyBinary(entry.key.key, entry.key.window.start).toString('latin1'),
        entry,
      );
    }
    if (cache.entries.size === 0) return [...byId.values()];
    for (const [mapKey, entry] of cache.entries.insertionOrder()) {
      const { key, start } = entry;
      if (start < timeFrom || start > timeTo) continue;
      if (keyFrom !== undefined && Buffer.compare(key, keyFrom) < 0) continue;
      if (keyTo !== undefined && Buffer.compare(key, keyTo) > 0) continue;
      if (entry.value === null) byId.delete(mapKey);
      else byId.set(mapKey, { key: windowed(key, start, entry.end), value: entry.value });
    }
    return [...byId.values()].sort(
      (x, y) => x.key.window.start - y.key.window.start || Buffer.compare(x.key.key, y.key.key),
    );
  }

  protected storedValue(entry: CacheEntry): Buffer | null {
    return this.wrapped.fetch(entry.key, entry.start);
  }

  protected writeEntry(entry: CacheEntry): void {
    this.wrapped.put(entry.key, entry.value, entry.start);
  }

  protected listenerKey(entry: CacheEntry): Windowed<Buffer> {
    return windowed(entry.key, entry.start, entry.end);
  }
}
