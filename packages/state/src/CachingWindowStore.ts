import { type Windowed, windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { InvalidStateStoreError } from './InvalidStateStoreError.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import { type CacheEntry, NamedCache } from './internal/NamedCache.js';
import { TimestampOverridingContext } from './internal/TimestampOverridingContext.js';
import { WindowMapKeyMemo } from './internal/WindowMapKeyMemo.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import { WindowKeySchema } from './WindowKeySchema.js';

/**
 * A write-back cache in front of a bytes window store (not for stores retaining duplicates), with the same
 * flush semantics as {@link CachingKeyValueStore}: writes are deduplicated per (key, window start) until
 * `flush()` or eviction, then written through and passed to the flush listener with the windowed key.
 * Point fetches read the cache first; scans merge the cache into the wrapped store's results (materialized,
 * ordered by window start, then key bytes), which costs a pass over the cache.
 */
export class CachingWindowStore implements BytesWindowStore, CachedStateStore<Windowed<Buffer>, Buffer> {
  private cache: NamedCache | undefined;
  private innerContext: TimestampOverridingContext | undefined;
  private context: StateStoreContext | undefined;
  private listener: CacheFlushListener<Windowed<Buffer>, Buffer> | undefined;
  private sendOldValues = false;
  private closed = false;
  private readonly mapKeys = new WindowMapKeyMemo();

  constructor(readonly wrapped: BytesWindowStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get persistent(): boolean {
    return this.wrapped.persistent;
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

  setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  init(context: StateStoreContext): void {
    if (this.wrapped.retainDuplicates) {
      throw new InvalidStateStoreError(
        `Window store '${this.name}' retains duplicates and cannot be cached; build it withCachingDisabled()`,
      );
    }
    this.context = context;
    this.closed = false;
    this.innerContext = new TimestampOverridingContext(context);
    this.cache = new NamedCache(
      context.cacheMaxBytes ?? CachingKeyValueStore.DEFAULT_MAX_BYTES,
      (batch) => this.writeThrough(batch),
      WindowKeySchema.TIMESTAMP_SIZE,
    );
    this.wrapped.init(this.innerContext);
  }

  isOpen(): boolean {
    return this.wrapped.isOpen();
  }

  flush(): void {
    this.openCache().flush();
    this.wrapped.flush();
  }

  close(): void {
    if (this.closed) return;
    try {
      if (this.wrapped.isOpen()) this.cache?.flush();
    } finally {
      this.closed = true;
      this.cache?.clear();
      this.wrapped.close();
    }
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    const cache = this.openCache();
    cache.putDirty(
      this.mapKeys.of(key, windowStart),
      key,
      value,
      this.context!.currentTimestamp(),
      windowStart,
      windowStart + this.windowSizeMs,
    );
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    const cache = this.openCache();
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

  restoreBatch(records: readonly RestoreRecord[]): void {
    const cache = this.openCache();
    this.wrapped.restoreBatch(records);
    for (const record of records) cache.invalidate(record.key.toString('latin1'));
  }

  /** The wrapped store's entries overlaid with the cache's, ordered by window start, then key bytes. */
  private merge(
    stored: KeyValueIterator<Windowed<Buffer>, Buffer>,
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValue<Windowed<Buffer>, Buffer>[] {
    const cache = this.openCache();
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

  private writeThrough(batch: readonly CacheEntry[]): void {
    const wrapped = this.wrapped;
    const listener = this.listener;
    const innerContext = this.innerContext!;
    try {
      for (const entry of batch) {
        innerContext.override = entry.timestamp;
        const { key, start } = entry;
        if (listener === undefined) {
          wrapped.put(key, entry.value, start);
          continue;
        }
        const oldValue = entry.value === null || this.sendOldValues ? wrapped.fetch(key, start) : null;
        if (entry.value === null && oldValue === null) continue;
        wrapped.put(key, entry.value, start);
        listener(
          windowed(key, start, entry.end),
          entry.value,
          this.sendOldValues ? oldValue : null,
          entry.timestamp,
        );
      }
    } finally {
      innerContext.override = undefined;
    }
  }

  private openCache(): NamedCache {
    const cache = this.cache;
    if (cache === undefined) throw InvalidStateStoreError.notInitialised(this.name);
    if (this.closed) throw InvalidStateStoreError.closed(this.name);
    return cache;
  }
}
