import type { KeyValue, KeyValueIterator } from '../KeyValueIterator.js';
import type { CacheEntry } from './NamedCache.js';
import type { OrderedRangeIterator } from './OrderedBytesMap.js';

/**
 * Merges a cache range with the same range of the wrapped store, in byte order of the key: a cached entry
 * wins over the store's, a cached delete hides the store's entry.
 */
export class MergedCacheIterator implements KeyValueIterator<Buffer, Buffer> {
  private storeHead: KeyValue<Buffer, Buffer> | undefined;
  private storeDone = false;

  constructor(
    private readonly cache: OrderedRangeIterator<CacheEntry>,
    private readonly store: KeyValueIterator<Buffer, Buffer>,
  ) {}

  next(): IteratorResult<KeyValue<Buffer, Buffer>, undefined> {
    for (;;) {
      const cached = this.cache.peek();
      const stored = this.peekStore();
      if (cached === undefined) {
        if (stored === undefined) return { done: true, value: undefined };
        this.storeHead = undefined;
        return { done: false, value: stored };
      }
      const order = stored === undefined ? -1 : Buffer.compare(cached.key, stored.key);
      if (order > 0) {
        this.storeHead = undefined;
        return { done: false, value: stored! };
      }
      this.cache.next();
      if (order === 0) this.storeHead = undefined;
      // A copy: the cache updates its entries in place.
      if (cached.value !== null) return { done: false, value: { key: cached.key, value: cached.value } };
    }
  }

  return(): IteratorResult<KeyValue<Buffer, Buffer>, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    this.cache.close();
    this.store.close();
    this.storeDone = true;
    this.storeHead = undefined;
  }

  [Symbol.iterator](): this {
    return this;
  }

  private peekStore(): KeyValue<Buffer, Buffer> | undefined {
    if (this.storeHead === undefined && !this.storeDone) {
      const result = this.store.next();
      if (result.done) this.storeDone = true;
      else this.storeHead = result.value;
    }
    return this.storeHead;
  }
}
