import { type Windowed, windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { BigEndianTimestamp } from './internal/BigEndianTimestamp.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import type { CacheEntry } from './internal/NamedCache.js';
import { WriteBackCache } from './internal/WriteBackCache.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import { SessionKeySchema } from './SessionKeySchema.js';
import type { StateStoreContext } from './StateStoreContext.js';

/**
 * A write-back cache in front of a bytes session store, with the flush semantics of
 * {@link CachingKeyValueStore}: puts and removes are deduplicated per session (key, start, end) until
 * `flush()` or eviction, then written through in the order of their last write (a removal as `remove`) and
 * passed to the flush listener with the session key, the new value (null = removed) and, when asked for, the
 * value the store held.
 *
 * Reads see the cache. They also see what the wrapped store would show had every cached write reached it:
 * the cache tracks the observed stream time (largest session end put) itself, so a session is hidden as soon
 * as a cached put expires it. `findSessions` finds a key's cached sessions through a per-key index (no pass
 * over the cache); key-range scans merge a pass over the cache. Scans order by end, key bytes, start.
 */
export class CachingSessionStore
  extends WriteBackCache<BytesSessionStore, Windowed<Buffer>>
  implements BytesSessionStore, CachedStateStore<Windowed<Buffer>, Buffer>
{
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  /** latin1 key → map keys of the cached sessions of that key (may hold keys evicted since; pruned on read). */
  private readonly sessionsByKey = new Map<string, Set<string>>();
  private indexedSessions = 0;

  constructor(wrapped: BytesSessionStore) {
    super(wrapped, 2 * BigEndianTimestamp.SIZE);
  }

  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }

  override init(context: StateStoreContext): void {
    this.sessionsByKey.clear();
    this.indexedSessions = 0;
    super.init(context);
  }

  override close(): void {
    try {
      super.close();
    } finally {
      this.sessionsByKey.clear();
      this.indexedSessions = 0;
    }
  }

  put(session: Windowed<Buffer>, value: Buffer | null): void {
    const cache = this.cache();
    const { key, window } = session;
    const { start, end } = window;
    // As the in-memory store: only a put of a value moves the observed stream time.
    if (value !== null && end > this.observedStreamTime) this.observedStreamTime = end;
    const keyString = key.toString('latin1');
    const mapKey = sessionMapKey(keyString, start, end);
    this.index(keyString, mapKey);
    cache.putDirty(mapKey, key, value, this.currentTimestamp(), start, end);
  }

  remove(session: Windowed<Buffer>): void {
    this.put(session, null);
  }

  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    const cache = this.cache();
    if (sessionEnd < this.minLiveTime()) return null;
    const cached = cache.get(sessionMapKey(key.toString('latin1'), sessionStart, sessionEnd));
    if (cached !== undefined) return cached.value;
    return this.wrapped.fetchSession(key, sessionStart, sessionEnd);
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const cache = this.cache();
    const earliestEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const stored = this.wrapped.findSessions(key, earliestEnd, latestSessionStartTime);
    const keyString = key.toString('latin1');
    const mapKeys = this.sessionsByKey.get(keyString);
    const cached: CacheEntry[] = [];
    if (mapKeys !== undefined) {
      for (const mapKey of mapKeys) {
        const entry = cache.entries.get(mapKey);
        if (entry === undefined) {
          mapKeys.delete(mapKey);
          this.indexedSessions--;
        } else if (entry.end >= earliestEnd && entry.start <= latestSessionStartTime) cached.push(entry);
      }
      if (mapKeys.size === 0) this.sessionsByKey.delete(keyString);
    }
    if (cached.length === 0) return stored;
    return this.merge(stored, cached, earliestEnd);
  }

  findSessionsInKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const cache = this.cache();
    const earliestEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const stored = this.wrapped.findSessionsInKeyRange(keyFrom, keyTo, earliestEnd, latestSessionStartTime);
    const cached: CacheEntry[] = [];
    if (keyFrom === undefined || keyTo === undefined || Buffer.compare(keyFrom, keyTo) <= 0) {
      for (const [, entry] of cache.entries.insertionOrder()) {
        if (entry.end < earliestEnd || entry.start > latestSessionStartTime) continue;
        if (keyFrom !== undefined && Buffer.compare(entry.key, keyFrom) < 0) continue;
        if (keyTo !== undefined && Buffer.compare(entry.key, keyTo) > 0) continue;
        cached.push(entry);
      }
    }
    if (cached.length === 0) return stored;
    return this.merge(stored, cached, earliestEnd);
  }

  fetch(key: Buffer): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.findSessions(key, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  override restoreBatch(records: readonly RestoreRecord[]): void {
    super.restoreBatch(records);
    for (const record of records) {
      if (record.value === null) continue;
      const end = SessionKeySchema.extractEnd(record.key);
      if (end > this.observedStreamTime) this.observedStreamTime = end;
    }
  }

  /** The smallest live session end, as the wrapped store would compute it after every cached put. */
  private minLiveTime(): number {
    return this.observedStreamTime - this.wrapped.retentionMs + 1;
  }

  private index(keyString: string, mapKey: string): void {
    let mapKeys = this.sessionsByKey.get(keyString);
    if (mapKeys === undefined) {
      mapKeys = new Set();
      this.sessionsByKey.set(keyString, mapKeys);
    }
    if (mapKeys.has(mapKey)) return;
    mapKeys.add(mapKey);
    // Sessions evicted from the cache stay indexed until their key is read: rebuild once they dominate.
    if (++this.indexedSessions > 2 * this.cache().entries.size + 1024) this.reindex();
  }

  private reindex(): void {
    this.sessionsByKey.clear();
    this.indexedSessions = 0;
    for (const [mapKey, entry] of this.cache().entries.insertionOrder()) {
      const keyString = mapKey.slice(0, entry.key.length);
      let mapKeys = this.sessionsByKey.get(keyString);
      if (mapKeys === undefined) {
        mapKeys = new Set();
        this.sessionsByKey.set(keyString, mapKeys);
      }
      mapKeys.add(mapKey);
      this.indexedSessions++;
    }
  }

  /** The wrapped store's sessions overlaid with cached ones (live, in range), ordered by end, key, start. */
  private merge(
    stored: KeyValueIterator<Windowed<Buffer>, Buffer>,
    cached: readonly CacheEntry[],
    earliestEnd: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    const byId = new Map<string, KeyValue<Windowed<Buffer>, Buffer>>();
    try {
      for (let r = stored.next(); !r.done; r = stored.next()) {
        const { key, window } = r.value.key;
        if (window.end < earliestEnd) continue;
        byId.set(sessionMapKey(key.toString('latin1'), window.start, window.end), r.value);
      }
    } finally {
      stored.close();
    }
    for (const entry of cached) {
      if (entry.value === null) byId.delete(entry.mapKey);
      else byId.set(entry.mapKey, { key: windowed(entry.key, entry.start, entry.end), value: entry.value });
    }
    const merged = [...byId.values()].sort(
      (x, y) =>
        x.key.window.end - y.key.window.end ||
        Buffer.compare(x.key.key, y.key.key) ||
        x.key.window.start - y.key.window.start,
    );
    return new GeneratorIterator(merged[Symbol.iterator]());
  }

  protected storedValue(entry: CacheEntry): Buffer | null {
    return this.wrapped.fetchSession(entry.key, entry.start, entry.end);
  }

  protected writeEntry(entry: CacheEntry): void {
    const session = windowed(entry.key, entry.start, entry.end);
    if (entry.value === null) this.wrapped.remove(session);
    else this.wrapped.put(session, entry.value);
  }

  protected listenerKey(entry: CacheEntry): Windowed<Buffer> {
    return windowed(entry.key, entry.start, entry.end);
  }
}

/** The latin1 string of `SessionKeySchema.toBinary(key, start, end)`, from the key's latin1 string. */
function sessionMapKey(keyString: string, start: number, end: number): string {
  return keyString + BigEndianTimestamp.latin1(end) + BigEndianTimestamp.latin1(start);
}
