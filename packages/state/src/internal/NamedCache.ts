import { OrderedBytesMap } from './OrderedBytesMap.js';

/** One cached key: the latest value (null = deleted, not yet written through), whether it is dirty. */
export interface CacheEntry {
  readonly mapKey: string;
  readonly key: Buffer;
  readonly value: Buffer | null;
  dirty: boolean;
  /** Timestamp of the record that wrote the entry (for the changelog record and the forwarded record). */
  readonly timestamp: number;
  readonly size: number;
}

/** Bytes accounted per cache entry on top of its key and value bytes (map slots, the entry object). */
export const CACHE_ENTRY_OVERHEAD_BYTES = 64;

/**
 * The write-back cache of one store: ordered by key for scans, LRU by access for eviction, dirty keys in
 * the order of their last write. When the byte budget is exceeded the least recently used entry is evicted;
 * if it was dirty, every dirty entry is flushed (evicted first), as Kafka Streams' NamedCache does, so the
 * store and the changelog never see writes out of order.
 */
export class NamedCache {
  readonly entries = new OrderedBytesMap<CacheEntry>();
  private readonly dirty = new Map<string, CacheEntry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** Writes a batch of dirty entries through, in order. */
    private readonly writeThrough: (batch: readonly CacheEntry[]) => void,
  ) {}

  get sizeBytes(): number {
    return this.bytes;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** The cached entry, marking it most recently used. */
  get(mapKey: string): CacheEntry | undefined {
    const entry = this.entries.get(mapKey);
    if (entry !== undefined) this.entries.touch(mapKey, entry);
    return entry;
  }

  /** Caches a value read from the store (clean). */
  putClean(mapKey: string, key: Buffer, value: Buffer): void {
    this.store({ mapKey, key, value, dirty: false, timestamp: 0, size: entrySize(key, value) });
    this.evictWhileFull();
  }

  /** Caches a write (dirty) to be written through at the next flush or eviction. */
  putDirty(mapKey: string, key: Buffer, value: Buffer | null, timestamp: number): void {
    const entry: CacheEntry = { mapKey, key, value, dirty: true, timestamp, size: entrySize(key, value) };
    this.store(entry);
    const dirty = this.dirty;
    dirty.delete(mapKey);
    dirty.set(mapKey, entry);
    this.evictWhileFull();
  }

  /** Drops a clean entry (e.g. after the wrapped store changed underneath during restore). */
  invalidate(mapKey: string): void {
    const entry = this.entries.get(mapKey);
    if (entry !== undefined && !entry.dirty) this.remove(entry);
  }

  /** Writes every dirty entry through and marks it clean; deleted keys leave the cache. */
  flush(evicted?: CacheEntry): void {
    const dirty = this.dirty;
    if (dirty.size === 0 && evicted === undefined) return;
    const batch: CacheEntry[] = [];
    if (evicted !== undefined) {
      batch.push(evicted);
      dirty.delete(evicted.mapKey);
    }
    for (const entry of dirty.values()) batch.push(entry);
    dirty.clear();
    this.writeThrough(batch);
    for (const entry of batch) {
      entry.dirty = false;
      if (entry.value === null && this.entries.get(entry.mapKey) === entry) this.remove(entry);
    }
  }

  clear(): void {
    this.entries.clear();
    this.dirty.clear();
    this.bytes = 0;
  }

  private store(entry: CacheEntry): void {
    const previous = this.entries.get(entry.mapKey);
    if (previous === undefined) this.entries.set(entry.mapKey, entry);
    else {
      this.bytes -= previous.size;
      this.entries.touch(entry.mapKey, entry);
    }
    this.bytes += entry.size;
  }

  private remove(entry: CacheEntry): void {
    this.entries.delete(entry.mapKey);
    this.bytes -= entry.size;
  }

  private evictWhileFull(): void {
    while (this.bytes > this.maxBytes && this.entries.size > 0) {
      const eldest = this.entries.insertionOrder().next().value![1];
      this.remove(eldest);
      if (eldest.dirty) this.flush(eldest);
    }
  }
}

function entrySize(key: Buffer, value: Buffer | null): number {
  return key.length + (value === null ? 0 : value.length) + CACHE_ENTRY_OVERHEAD_BYTES;
}
