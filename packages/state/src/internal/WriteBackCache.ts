import type { CachedStateStore } from '../CachedStateStore.js';
import type { CacheFlushListener } from '../CacheFlushListener.js';
import { InvalidStateStoreError } from '../InvalidStateStoreError.js';
import type { RestorableStateStore, RestoreRecord } from '../RestorableStateStore.js';
import type { StateStoreContext } from '../StateStoreContext.js';
import { type CacheEntry, NamedCache } from './NamedCache.js';
import { TimestampOverridingContext } from './TimestampOverridingContext.js';
import { WrappedStateStore } from './WrappedStateStore.js';

/** Byte budget of a store cache when the context gives none (Kafka's default, 10 MiB). */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The part every caching layer shares: a {@link NamedCache} created at `init` with the context's budget, the
 * flush listener, flush and close (which flushes what is dirty first), restore that bypasses the cache and
 * drops the clean entries it made stale, and the write-through of a flushed batch: per entry, in order, the
 * wrapped store gets the write while the inner context answers the entry's timestamp, and the listener gets
 * (key, new value, old value when asked for, timestamp). An entry deleting what the store never held is
 * neither written nor passed on.
 *
 * `LK` is the listener's key (`Buffer`, or `Windowed<Buffer>` for window and session stores).
 */
export abstract class WriteBackCache<W extends RestorableStateStore, LK>
  extends WrappedStateStore<W>
  implements CachedStateStore<LK, Buffer>
{
  private namedCache: NamedCache | undefined;
  private innerContext: TimestampOverridingContext | undefined;
  private context: StateStoreContext | undefined;
  private listener: CacheFlushListener<LK, Buffer> | undefined;
  private sendOldValues = false;
  private closed = false;

  constructor(
    wrapped: W,
    /** Bytes of the store's binary key on top of the record key (see NamedCache). */
    private readonly windowBytes: number,
  ) {
    super(wrapped);
  }

  /** The wrapped store's value for the entry's key (and window). */
  protected abstract storedValue(entry: CacheEntry): Buffer | null;
  /** Writes the entry (a null value deletes) to the wrapped store. */
  protected abstract writeEntry(entry: CacheEntry): void;
  /** The listener's key of an entry. */
  protected abstract listenerKey(entry: CacheEntry): LK;

  setFlushListener(listener: CacheFlushListener<LK, Buffer>, sendOldValues: boolean): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  override init(context: StateStoreContext): void {
    this.context = context;
    this.closed = false;
    this.innerContext = new TimestampOverridingContext(context);
    this.namedCache = new NamedCache(
      context.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
      (batch) => this.writeThrough(batch),
      this.windowBytes,
    );
    this.wrapped.init(this.innerContext);
  }

  override flush(): void {
    this.cache().flush();
    this.wrapped.flush();
  }

  override close(): void {
    if (this.closed) return;
    try {
      if (this.wrapped.isOpen()) this.namedCache?.flush();
    } finally {
      this.closed = true;
      this.namedCache?.clear();
      this.wrapped.close();
    }
  }

  override restoreBatch(records: readonly RestoreRecord[]): void {
    const cache = this.cache();
    this.wrapped.restoreBatch(records);
    for (const record of records) cache.invalidate(record.key.toString('latin1'));
  }

  /** The current record's timestamp, for the entry a put caches. */
  protected currentTimestamp(): number {
    return this.context!.currentTimestamp();
  }

  /** The cache, failing as the store would before init and after close. */
  protected cache(): NamedCache {
    const cache = this.namedCache;
    if (cache === undefined) throw InvalidStateStoreError.notInitialised(this.name);
    if (this.closed) throw InvalidStateStoreError.closed(this.name);
    return cache;
  }

  private writeThrough(batch: readonly CacheEntry[]): void {
    const listener = this.listener;
    const sendOldValues = this.sendOldValues;
    const innerContext = this.innerContext!;
    try {
      for (const entry of batch) {
        innerContext.override = entry.timestamp;
        if (listener === undefined) {
          this.writeEntry(entry);
          continue;
        }
        const oldValue = entry.value === null || sendOldValues ? this.storedValue(entry) : null;
        // A key written and deleted between two flushes that the store never held: nothing to write or forward.
        if (entry.value === null && oldValue === null) continue;
        this.writeEntry(entry);
        listener(this.listenerKey(entry), entry.value, sendOldValues ? oldValue : null, entry.timestamp);
      }
    } finally {
      innerContext.override = undefined;
    }
  }
}
