import type { Serde, Windowed } from '@tributary/core';

/**
 * Orders keys of stores merged across tasks. Stores iterate in serialized-key byte order, so when the store
 * exposes its key serde (the Metered stores do) keys are compared by their bytes, exactly; otherwise by a
 * natural order (numbers numerically, strings by UTF-8 bytes, Buffers by bytes, others by JSON text).
 */
export class KeyOrder<K> {
  constructor(
    private readonly keySerde: Serde<K> | undefined,
    private readonly topic: string,
  ) {}

  static of<K>(stores: readonly object[], topic: string): KeyOrder<K> {
    const first = stores[0] as { keySerde?: Serde<K> } | undefined;
    const serde = first?.keySerde;
    return new KeyOrder(
      serde !== undefined && typeof serde.serialize === 'function' ? serde : undefined,
      topic,
    );
  }

  /** A sort key per key (computed once per entry). */
  sortKey(key: K): Buffer | number | string {
    if (this.keySerde !== undefined) return this.keySerde.serialize(this.topic, key);
    if (typeof key === 'number' || typeof key === 'bigint') return Number(key);
    if (typeof key === 'string') return Buffer.from(key, 'utf8');
    if (Buffer.isBuffer(key)) return key;
    return Buffer.from(JSON.stringify(key) ?? '', 'utf8');
  }

  static compare(a: Buffer | number | string, b: Buffer | number | string): number {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }

  /** Sort entries by key (stable), then by `tieBreak`. */
  sort<E>(entries: E[], keyOf: (entry: E) => K, tieBreak: (a: E, b: E) => number = () => 0): E[] {
    const decorated = entries.map((entry) => ({ entry, sortKey: this.sortKey(keyOf(entry)) }));
    decorated.sort((a, b) => KeyOrder.compare(a.sortKey, b.sortKey) || tieBreak(a.entry, b.entry));
    return decorated.map((d) => d.entry);
  }

  sortWindowed<V>(
    entries: { key: Windowed<K>; value: V }[],
    byEndFirst = false,
  ): { key: Windowed<K>; value: V }[] {
    return this.sort(
      entries,
      (e) => e.key.key,
      (a, b) =>
        byEndFirst
          ? a.key.window.end - b.key.window.end || a.key.window.start - b.key.window.start
          : a.key.window.start - b.key.window.start || a.key.window.end - b.key.window.end,
    );
  }
}
