import { type Windowed, windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { InvalidStateStoreError } from './InvalidStateStoreError.js';
import { BigEndianTimestamp } from './internal/BigEndianTimestamp.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import { type CacheEntry, NamedCache } from './internal/NamedCache.js';
import { TimestampOverridingContext } from './internal/TimestampOverridingContext.js';
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
export class CachingSessionStore implements BytesSessionStore, CachedStateStore<Windowed<Buffer>, Buffer> {
  private cache: NamedCache | undefined;
  private innerContext: TimestampOverridingContext | undefined;
  private context: StateStoreContext | undefined;
  private listener: CacheFlushListener<Windowed<Buffer>, Buffer> | undefined;
  private sendOldValues = false;
  private closed = false;
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  /** latin1 key → map keys of the cached sessions of that key (may hold keys evicted since; pruned on read). */
  private readonly sessionsByKey = new Map<string, Set<string>>();
  private indexedSessions = 0;

  constructor(readonly wrapped: BytesSessionStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get persistent(): boolean {
    return this.wrapped.persistent;
  }
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }

  setFlushListener(listener: CacheFlushListener<Windowed<Buffer>, Buffer>, sendOldValues: boolean): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  init(context: StateStoreContext): void {
    this.context = context;
    this.closed = false;
    this.innerContext = new TimestampOverridingContext(context);
    this.cache = new NamedCache(
      context.cacheMaxBytes ?? CachingKeyValueStore.DEFAULT_MAX_BYTES,
      (batch) => this.writeThrough(batch),
      2 * BigEndianTimestamp.SIZE,
    );
    this.sessionsByKey.clear();
    this.indexedSessions = 0;
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
      this.sessionsByKey.clear();
      this.indexedSessions = 0;
      this.wrapped.close();
    }
  }

  put(session: Windowed<Buffer>, value: Buffer | null): void {
    const cache = this.openCache();
    const { key, window } = session;
    const { start, end } = window;
    // As the in-memory store: only a put of a value moves the observed stream time.
    if (value !== null && end > this.observedStreamTime) this.observedStreamTime = end;
    const keyString = key.toString('latin1');
    const mapKey = sessionMapKey(keyString, start, end);
    this.index(keyString, mapKey);
    cache.putDirty(mapKey, key, value, this.context!.currentTimestamp(), start, end);
  }

  remove(session: Windowed<Buffer>): void {
    this.put(session, null);
  }

  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    const cache = this.openCache();
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
    const cache = this.openCache();
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
    const cache = this.openCache();
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

  restoreBatch(records: readonly RestoreRecord[]): void {
    const cache = this.openCache();
    this.wrapped.restoreBatch(records);
    for (const record of records) {
      if (record.value !== null) {
        const end = SessionKeySchema.extractEnd(record.key);
        if (end > this.observedStreamTime) this.observedStreamTime = end;
      }
      cache.invalidate(record.key.toString('latin1'));
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
    if (++this.indexedSessions > 2 * this.cache!.entries.size + 1024) this.reindex();
  }

  private reindex(): void {
    this.sessionsByKey.clear();
    this.indexedSessions = 0;
    for (const [mapKey, entry] of this.cache!.entries.insertionOrder()) {
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

  private writeThrough(batch: readonly CacheEntry[]): void {
    const wrapped = this.wrapped;
    const listener = this.listener;
    const innerContext = this.innerContext!;
    try {
      for (const entry of batch) {
        innerContext.override = entry.timestamp;
        const session = windowed(entry.key, entry.start, entry.end);
        let oldValue: Buffer | null = null;
        if (listener !== undefined && (entry.value === null || this.sendOldValues)) {
          oldValue = wrapped.fetchSession(entry.key, entry.start, entry.end);
          // A session put and removed between two flushes that the store never held: nothing to do.
          if (entry.value === null && oldValue === null) continue;
        }
        if (entry.value === null) wrapped.remove(session);
        else wrapped.put(session, entry.value);
        listener?.(session, entry.value, this.sendOldValues ? oldValue : null, entry.timestamp);
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

/** The latin1 string of `SessionKeySchema.toBinary(key, start, end)`, from the key's latin1 string. */
function sessionMapKey(keyString: string, start: number, end: number): string {
  return keyString + BigEndianTimestamp.latin1(end) + BigEndianTimestamp.latin1(start);
}
