import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { InvalidStateStoreError } from './InvalidStateStoreError.js';
import { MapKeyMemo } from './internal/MapKeyMemo.js';
import { MergedCacheIterator } from './internal/MergedCacheIterator.js';
import { CACHE_ENTRY_OVERHEAD_BYTES, type CacheEntry, NamedCache } from './internal/NamedCache.js';
import { TimestampOverridingContext } from './internal/TimestampOverridingContext.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';

/**
 * A write-back cache in front of a bytes key-value store. Writes stay in the cache, deduplicated per key,
 * until `flush()` (at commit) or until the cache exceeds its byte budget and evicts; then dirty entries are
 * written through to the wrapped store in the order of their last write, and the flush listener is called
 * once per key with (key, new value, old value, timestamp of the last write). Reads see the cache first.
 */
export class CachingKeyValueStore implements BytesKeyValueStore, CachedStateStore<Buffer, Buffer> {
  /** Byte budget of the cache when the context gives none (Kafka's default, 10 MiB). */
  static readonly DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
  /** Bytes accounted per cached entry on top of its key and value. */
  static readonly ENTRY_OVERHEAD_BYTES = CACHE_ENTRY_OVERHEAD_BYTES;

  private cache: NamedCache | undefined;
  private innerContext: TimestampOverridingContext | undefined;
  private context: StateStoreContext | undefined;
  private listener: CacheFlushListener<Buffer, Buffer> | undefined;
  private sendOldValues = false;
  private closed = false;
  private readonly mapKeys = new MapKeyMemo();

  constructor(readonly wrapped: BytesKeyValueStore) {}

  get name(): string {
    return this.wrapped.name;
  }

  get persistent(): boolean {
    return this.wrapped.persistent;
  }

  setFlushListener(listener: CacheFlushListener<Buffer, Buffer>, sendOldValues: boolean): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  init(context: StateStoreContext): void {
    this.context = context;
    this.closed = false;
    this.innerContext = new TimestampOverridingContext(context);
    this.cache = new NamedCache(context.cacheMaxBytes ?? CachingKeyValueStore.DEFAULT_MAX_BYTES, (batch) =>
      this.writeThrough(batch),
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

  get(key: Buffer): Buffer | null {
    const cache = this.openCache();
    const mapKey = this.mapKeys.of(key);
    const cached = cache.get(mapKey);
    if (cached !== undefined) return cached.value;
    const stored = this.wrapped.get(key);
    if (stored !== null) cache.putClean(mapKey, key, stored);
    return stored;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.openCache().putDirty(this.mapKeys.of(key), key, value, this.context!.currentTimestamp());
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const existing = this.get(key);
    if (existing === null) this.put(key, value);
    return existing;
  }

  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void {
    for (const entry of entries) this.put(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    const existing = this.get(key);
    this.put(key, null);
    return existing;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    const cache = this.openCache();
    const cached = cache.entries.range(from?.toString('latin1'), to?.toString('latin1'));
    return new MergedCacheIterator(cached, this.wrapped.range(from, to));
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.range(undefined, undefined);
  }

  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    const cache = this.openCache();
    const cached = cache.entries.prefix(prefix.toString('latin1'));
    return new MergedCacheIterator(cached, this.wrapped.prefixScan(prefix));
  }

  approximateNumEntries(): number {
    this.openCache();
    return this.wrapped.approximateNumEntries();
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    const cache = this.openCache();
    this.wrapped.restoreBatch(records);
    for (const record of records) cache.invalidate(record.key.toString('latin1'));
  }

  private writeThrough(batch: readonly CacheEntry[]): void {
    const wrapped = this.wrapped;
    const listener = this.listener;
    const innerContext = this.innerContext!;
    try {
      for (const entry of batch) {
        innerContext.override = entry.timestamp;
        if (listener === undefined) {
          wrapped.put(entry.key, entry.value);
          continue;
        }
        const oldValue = entry.value === null || this.sendOldValues ? wrapped.get(entry.key) : null;
        // A key written and deleted between two flushes that the store never held: nothing to write or forward.
        if (entry.value === null && oldValue === null) continue;
        wrapped.put(entry.key, entry.value);
        listener(entry.key, entry.value, this.sendOldValues ? oldValue : null, entry.timestamp);
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
