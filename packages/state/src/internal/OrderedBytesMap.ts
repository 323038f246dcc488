/** What an {@link OrderedBytesMap} holds: anything that carries its own serialized key. */
export interface KeyedEntry {
  readonly key: Buffer;
}

/**
 * A map keyed by bytes with ordered scans in byte order, for in-memory stores and caches.
 *
 * Point operations go through a `Map` keyed by the key's `latin1` string: latin1 maps every byte to one UTF-16
 * code unit of the same value, so JS string comparison of those strings is exactly unsigned byte order.
 * The ordered index is a sorted array of those strings maintained lazily: new keys are appended to a pending
 * list and deleted keys stay in the array until the next ordered read, which merges (O(n + p log p)) into a
 * *new* array. Writes therefore cost O(1), and an iterator holding the previous array keeps a stable snapshot
 * of the keys (values are read live, skipping keys deleted since).
 */
export class OrderedBytesMap<E extends KeyedEntry> {
  private readonly map = new Map<string, E>();
  private sorted: string[] = [];
  private pending: string[] = [];
  private stale = 0;
  /**
   * False while the store only sees point operations: once the pending list outgrows the map (key churn
   * without scans), it is dropped instead of growing without bound, and the next scan sorts all keys.
   */
  private indexed = true;
  /**
   * The last key looked up or written and its entry (undefined: absent), kept exact by every write: a store
   * usually reads a key and then writes it (an aggregation's get+put, a cache flush's get+put), and the
   * second operation then needs no hash lookup.
   */
  private lastKey: string | undefined = undefined;
  private lastEntry: E | undefined = undefined;

  get size(): number {
    return this.map.size;
  }

  get(mapKey: string): E | undefined {
    if (mapKey === this.lastKey) return this.lastEntry;
    const entry = this.map.get(mapKey);
    this.lastKey = mapKey;
    this.lastEntry = entry;
    return entry;
  }

  has(mapKey: string): boolean {
    return this.get(mapKey) !== undefined;
  }

  set(mapKey: string, entry: E): void {
    const map = this.map;
    const present = mapKey === this.lastKey ? this.lastEntry !== undefined : map.has(mapKey);
    this.lastKey = mapKey;
    this.lastEntry = entry;
    if (!present && this.indexed) {
      const pending = this.pending;
      pending.push(mapKey);
      if (pending.length > 1024 && pending.length > map.size * 2) {
        this.indexed = false;
        this.sorted = [];
        this.pending = [];
        this.stale = 0;
      }
    }
    map.set(mapKey, entry);
  }

  /** Replaces the entry of a key known to be present, keeping its place in insertion order. */
  replace(mapKey: string, entry: E): void {
    this.map.set(mapKey, entry);
    this.lastKey = mapKey;
    this.lastEntry = entry;
  }

  /** Replaces the entry of a key known to be present, moving it to the end of insertion order (LRU touch). */
  touch(mapKey: string, entry: E): void {
    this.map.delete(mapKey);
    this.map.set(mapKey, entry);
    this.lastKey = mapKey;
    this.lastEntry = entry;
  }

  delete(mapKey: string): E | undefined {
    const existing = this.get(mapKey);
    if (existing !== undefined) {
      this.map.delete(mapKey);
      this.lastEntry = undefined;
      if (this.indexed) this.stale++;
    }
    return existing;
  }

  /** Deletes a key known to be present, with one hash lookup (delete() looks the entry up first). */
  deletePresent(mapKey: string): void {
    this.map.delete(mapKey);
    if (mapKey === this.lastKey) this.lastEntry = undefined;
    if (this.indexed) this.stale++;
  }

  clear(): void {
    this.map.clear();
    this.lastKey = undefined;
    this.lastEntry = undefined;
    this.sorted = [];
    this.pending = [];
    this.stale = 0;
    this.indexed = true;
  }

  /** Entries in insertion order (oldest first); with {@link touch} this is LRU order. */
  insertionOrder(): IterableIterator<[string, E]> {
    return this.map.entries();
  }

  /** The sorted key array (a snapshot: later writes build a new array). May hold keys deleted since. */
  sortedKeys(): readonly string[] {
    if (!this.indexed) {
      this.sorted = [...this.map.keys()].sort();
      this.indexed = true;
      return this.sorted;
    }
    // Deleted keys are skipped by iterators, so they are compacted away only once they are many.
    if (this.pending.length > 0 || this.stale > this.sorted.length >>> 1) this.rebuild();
    return this.sorted;
  }

  /**
   * Entries with from <= key <= to (undefined = unbounded) in byte order, over a snapshot of the keys.
   * `toExclusive` makes the upper bound exclusive (used for prefix scans).
   */
  range(from: string | undefined, to: string | undefined, toExclusive = false): OrderedRangeIterator<E> {
    const keys = this.sortedKeys();
    const start = from === undefined ? 0 : lowerBound(keys, from);
    const end = to === undefined ? keys.length : lowerBound(keys, to, !toExclusive);
    return new OrderedRangeIterator(this.map, keys, start, end);
  }

  /** Entries whose key starts with `prefix`, in byte order. */
  prefix(prefix: string): OrderedRangeIterator<E> {
    const successor = prefixSuccessor(prefix);
    return this.range(prefix, successor, true);
  }

  private rebuild(): void {
    const map = this.map;
    const old = this.sorted;
    const add = this.pending;
    if (add.length > 1) add.sort();
    const out: string[] = new Array(map.size);
    let n = 0;
    let i = 0;
    let j = 0;
    let last: string | undefined;
    while (i < old.length || j < add.length) {
      let next: string;
      if (j >= add.length || (i < old.length && old[i]! <= add[j]!)) next = old[i++]!;
      else next = add[j++]!;
      if (next !== last && map.has(next)) {
        out[n++] = next;
        last = next;
      }
    }
    out.length = n;
    this.sorted = out;
    this.pending = [];
    this.stale = 0;
  }
}

/** First index in `keys` whose key is >= `target` (or > when `exclusive`). */
export function lowerBound(keys: readonly string[], target: string, exclusive = false): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k < target || (exclusive && k === target)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest string greater than every string starting with `prefix`, or undefined when there is none. */
export function prefixSuccessor(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xff) end--;
  if (end === 0) return undefined;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

/** Iterates a slice of a sorted key snapshot, reading entries live and skipping keys deleted since. */
export class OrderedRangeIterator<E extends KeyedEntry> implements IterableIterator<E> {
  private index: number;

  constructor(
    private readonly map: ReadonlyMap<string, E>,
    private readonly keys: readonly string[],
    start: number,
    private end: number,
  ) {
    this.index = start;
  }

  next(): IteratorResult<E, undefined> {
    const keys = this.keys;
    while (this.index < this.end) {
      const entry = this.map.get(keys[this.index++]!);
      if (entry !== undefined) return { done: false, value: entry };
    }
    return { done: true, value: undefined };
  }

  /** Peeks the next live entry without consuming it. */
  peek(): E | undefined {
    const keys = this.keys;
    while (this.index < this.end) {
      const entry = this.map.get(keys[this.index]!);
      if (entry !== undefined) return entry;
      this.index++;
    }
    return undefined;
  }

  return(): IteratorResult<E, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    this.end = 0;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
