import type { CacheFlushListener } from './CacheFlushListener.js';

/**
 * A store that may sit on a write-back cache. The DSL registers a listener so that a cached table forwards
 * its deduplicated changes downstream only when the cache flushes (commit, or eviction when full).
 */
export interface CachedStateStore<K, V> {
  /**
   * Registers the flush listener. Returns true when the store is cached (the listener will be called and the
   * caller must NOT forward on every write), false when there is no cache (forward on every write yourself).
   * With `sendOldValues` the listener also receives the previous value.
   */
  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean;
}
