import { OrderedBytesMap } from './OrderedBytesMap.js';

/** One cached key: the latest value (null = deleted, not yet written through), whether it is dirty. */
export interface CacheEntry {
  readonly mapKey: string;
  /** The record key's bytes (without the window of window and session caches). */
  readonly key: Buffer;
  /** The window (start, end) of a window or session cache entry; 0 in key-value caches. */
  readonly start: number;
  readonly end: number;
  readonly value: Buffer | null;
  dirty: boolean;
  /** Timestamp of the record that wrote the entry (for the changelog record and the forwarded record). */
  readonly timestamp: number;
  readonly size: number;
}

/** Bytes accounted per cache entry on top of its key and value bytes (map slots, the entry object). */
export const CACHE_ENTRY_OVERHEAD_BYTES = 64;

/** A cache entry linked into the LRU list and (while dirty and unflushed) the dirty list. */
class CacheNode implements CacheEntry {
  value: Buffer | null;
  dirty: boolean;
  timestamp: number;
  size: number;
  /** Whether the entry is linked into the dirty list (false once a flush took it into its batch). */
  inDirtyList = false;
  lruPrev: CacheNode | null = null;
  lruNext: CacheNode | null = null;
  dirtyPrev: CacheNode | null = null;
  dirtyNext: CacheNode | null = null;

  constructor(
    readonly mapKey: string,
    readonly key: Buffer,
    readonly start: number,
    readonly end: number,
    value: Buffer | null,
    dirty: boolean,
    timestamp: number,
    size: number,
  ) {
    this.value = value;
    this.dirty = dirty;
    this.timestamp = timestamp;
    this.size = size;
  }
}

/**
 * The write-back cache of one store: ordered by key for scans, LRU by access for eviction, dirty keys in
 * the order of their last write. When the byte budget is exceeded the least recently used entry is evicted;
 * if it was dirty, every dirty entry is flushed (evicted first), as Kafka Streams' NamedCache does, so the
 * store and the changelog never see writes out of order.
 *
 * The LRU order and the dirty order are intrusive doubly linked lists through the entries, so a read or a
 * write moves an entry with a few pointer writes instead of deleting and re-inserting map keys. A write to a
 * cached key updates its entry in place (no new entry, and the entry keeps its key bytes and map key, which
 * equal the new ones) unless a flush in progress holds that entry in its batch; entries never leave the
 * cache otherwise (scans copy what they return), so no reader sees an entry change under it.
 */
export class NamedCache {
  readonly entries = new OrderedBytesMap<CacheEntry>();
  private lruHead: CacheNode | null = null;
  private lruTail: CacheNode | null = null;
  private dirtyHead: CacheNode | null = null;
  private dirtyTail: CacheNode | null = null;
  private dirtySize = 0;
  private bytes = 0;
  /** The batch array of the flush in progress, reused by the next flush; undefined while one runs. */
  private spareBatch: CacheNode[] | undefined = [];

  constructor(
    private readonly maxBytes: number,
    /** Writes a batch of dirty entries through, in order. */
    private readonly writeThrough: (batch: readonly CacheEntry[]) => void,
    /**
     * Bytes the store's binary key holds on top of the record key (8 for a window start, 16 for a session's
     * end and start), accounted per entry as if the entry held that binary key.
     */
    private readonly windowBytes = 0,
  ) {}

  get sizeBytes(): number {
    return this.bytes;
  }

  get dirtyCount(): number {
    return this.dirtySize;
  }

  /** The cached entry, marking it most recently used. */
  get(mapKey: string): CacheEntry | undefined {
    const entry = this.entries.get(mapKey) as CacheNode | undefined;
    if (entry !== undefined && entry !== this.lruTail) {
      this.lruUnlink(entry);
      this.lruAppend(entry);
    }
    return entry;
  }

  /** Caches a value read from the store (clean). */
  putClean(mapKey: string, key: Buffer, value: Buffer): void {
    this.store(new CacheNode(mapKey, key, 0, 0, value, false, 0, this.sizeOf(key, value)));
    this.evictWhileFull();
  }

  /** Caches a write (dirty) to be written through at the next flush or eviction. */
  putDirty(mapKey: string, key: Buffer, value: Buffer | null, timestamp: number, start = 0, end = 0): void {
    const previous = this.entries.get(mapKey) as CacheNode | undefined;
    // A dirty entry out of the dirty list belongs to the batch of a flush in progress: it must not change.
    if (previous !== undefined && (!previous.dirty || previous.inDirtyList)) {
      const size = this.sizeOf(previous.key, value);
      this.bytes += size - previous.size;
      previous.value = value;
      previous.timestamp = timestamp;
      previous.size = size;
      previous.dirty = true;
      if (previous !== this.lruTail) {
        this.lruUnlink(previous);
        this.lruAppend(previous);
      }
      if (previous.inDirtyList) {
        if (previous !== this.dirtyTail) {
          this.dirtyUnlink(previous);
          this.dirtyAppend(previous);
        }
      } else this.dirtyAppend(previous);
    } else {
      const entry = new CacheNode(mapKey, key, start, end, value, true, timestamp, this.sizeOf(key, value));
      this.store(entry);
      this.dirtyAppend(entry);
    }
    this.evictWhileFull();
  }

  /** Drops a clean entry (e.g. after the wrapped store changed underneath during restore). */
  invalidate(mapKey: string): void {
    const entry = this.entries.get(mapKey) as CacheNode | undefined;
    if (entry !== undefined && !entry.dirty) this.remove(entry);
  }

  /** Writes every dirty entry through and marks it clean; deleted keys leave the cache. */
  flush(evicted?: CacheEntry): void {
    if (this.dirtySize === 0 && evicted === undefined) return;
    // A flush started by the write-through of another (a downstream put evicting) gets its own array.
    const batch = this.spareBatch ?? [];
    this.spareBatch = undefined;
    if (evicted !== undefined) {
      const node = evicted as CacheNode;
      if (node.inDirtyList) this.dirtyUnlink(node);
      batch.push(node);
    }
    for (let node = this.dirtyHead; node !== null; ) {
      const next = node.dirtyNext;
      node.inDirtyList = false;
      node.dirtyPrev = null;
      node.dirtyNext = null;
      batch.push(node);
      node = next;
    }
    this.dirtyHead = null;
    this.dirtyTail = null;
    this.dirtySize = 0;
    try {
      this.writeThrough(batch);
      for (let i = 0; i < batch.length; i++) {
        const entry = batch[i]!;
        entry.dirty = false;
        if (entry.value === null && this.entries.get(entry.mapKey) === entry) this.remove(entry);
      }
    } finally {
      // pop() rather than `length = 0`, which is a runtime call: most flushes hold one or a few entries
      while (batch.length > 0) batch.pop();
      this.spareBatch = batch;
    }
  }

  clear(): void {
    this.entries.clear();
    this.lruHead = null;
    this.lruTail = null;
    this.dirtyHead = null;
    this.dirtyTail = null;
    this.dirtySize = 0;
    this.bytes = 0;
  }

  private store(entry: CacheNode): void {
    const previous = this.entries.get(entry.mapKey) as CacheNode | undefined;
    if (previous === undefined) this.entries.set(entry.mapKey, entry);
    else {
      this.bytes -= previous.size;
      this.entries.replace(entry.mapKey, entry);
      this.lruUnlink(previous);
      if (previous.inDirtyList) this.dirtyUnlink(previous);
    }
    this.lruAppend(entry);
    this.bytes += entry.size;
  }

  private remove(entry: CacheNode): void {
    this.entries.deletePresent(entry.mapKey);
    this.lruUnlink(entry);
    this.bytes -= entry.size;
  }

  private evictWhileFull(): void {
    while (this.bytes > this.maxBytes && this.lruHead !== null) {
      const eldest = this.lruHead;
      this.remove(eldest);
      if (eldest.dirty) this.flush(eldest);
    }
  }

  private lruAppend(entry: CacheNode): void {
    const tail = this.lruTail;
    entry.lruPrev = tail;
    entry.lruNext = null;
    if (tail === null) this.lruHead = entry;
    else tail.lruNext = entry;
    this.lruTail = entry;
  }

  private lruUnlink(entry: CacheNode): void {
    const prev = entry.lruPrev;
    const next = entry.lruNext;
    if (prev === null) this.lruHead = next;
    else prev.lruNext = next;
    if (next === null) this.lruTail = prev;
    else next.lruPrev = prev;
    entry.lruPrev = null;
    entry.lruNext = null;
  }

  private dirtyAppend(entry: CacheNode): void {
    const tail = this.dirtyTail;
    entry.dirtyPrev = tail;
    entry.dirtyNext = null;
    if (tail === null) this.dirtyHead = entry;
    else tail.dirtyNext = entry;
    this.dirtyTail = entry;
    entry.inDirtyList = true;
    this.dirtySize++;
  }

  private dirtyUnlink(entry: CacheNode): void {
    const prev = entry.dirtyPrev;
    const next = entry.dirtyNext;
    if (prev === null) this.dirtyHead = next;
    else prev.dirtyNext = next;
    if (next === null) this.dirtyTail = prev;
    else next.dirtyPrev = prev;
    entry.dirtyPrev = null;
    entry.dirtyNext = null;
    entry.inDirtyList = false;
    this.dirtySize--;
  }

  private sizeOf(key: Buffer, value: Buffer | null): number {
    return key.length + this.windowBytes + (value === null ? 0 : value.length) + CACHE_ENTRY_OVERHEAD_BYTES;
  }
}
