import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { MapKeyMemo } from './internal/MapKeyMemo.js';
import { MergedCacheIterator } from './internal/MergedCacheIterator.js';
import { CACHE_ENTRY_OVERHEAD_BYTES, type CacheEntry } from './internal/NamedCache.js';
import { DEFAULT_CACHE_MAX_BYTES, WriteBackCache } from './internal/WriteBackCache.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';

/**
 * A write-back cache in front of a bytes key-value store. Writes stay in the cache, deduplicated per key,
 * until `flush()` (at commit) or until the cache exceeds its byte budget and evicts; then dirty entries are
 * written through to the wrapped store in the order of their last write, and the flush listener is called
 * once per key with (key, new value, old value, timestamp of the last write). Reads see the cache first.
 */
export class CachingKeyValueStore
  extends WriteBackCache<BytesKeyValueStore, Buffer>
  implements BytesKeyValueStore, CachedStateStore<Buffer, Buffer>
{
  /** Byte budget of the cache when the context gives none (Kafka's default, 10 MiB). */
  static readonly DEFAULT_MAX_BYTES = DEFAULT_CACHE_MAX_BYTES;
  /** Bytes accounted per cached entry on top of its key and value. */
  static readonly ENTRY_OVERHEAD_BYTES = CACHE_ENTRY_OVERHEAD_BYTES;

  private readonly mapKeys = new MapKeyMemo();

  constructor(wrapped: BytesKeyValueStore) {
    super(wrapped, 0);
  }

  protected storedValue(entry: CacheEntry): Buffer | null {
    return this.wrapped.get(entry.key);
  }

  protected writeEntry(entry: CacheEntry): void {
    this.wrapped.put(entry.key, entry.value);
  }

  protected listenerKey(entry: CacheEntry): Buffer {
    return entry.key;
  }

  get(key: Buffer): Buffer | null {
    const cache = this.cache();
    const mapKey = this.mapKeys.of(key);
    const cached = cache.get(mapKey);
    if (cached !== undefined) return cached.value;
    const stored = this.wrapped.get(key);
    if (stored !== null) cache.putClean(mapKey, key, stored);
    return stored;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.cache().putDirty(this.mapKeys.of(key), key, value, this.currentTimestamp());
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
    const cache = this.cache();
    const cached = cache.entries.range(from?.toString('latin1'), to?.toString('latin1'));
    return new MergedCacheIterator(cached, this.wrapped.range(from, to));
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.range(undefined, undefined);
  }

  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    const cache = this.cache();
    const cached = cache.entries.prefix(prefix.toString('latin1'));
    return new MergedCacheIterator(cached, this.wrapped.prefixScan(prefix));
  }

  approximateNumEntries(): number {
    this.cache();
    return this.wrapped.approximateNumEntries();
  }
}
