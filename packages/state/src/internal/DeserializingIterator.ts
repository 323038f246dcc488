import type { KeyValue, KeyValueIterator } from '../KeyValueIterator.js';

/** Maps a bytes-level iterator to typed keys and values, one entry at a time. */
export class DeserializingIterator<KI, VI, K, V> implements KeyValueIterator<K, V> {
  constructor(
    private readonly inner: KeyValueIterator<KI, VI>,
    private readonly key: (raw: KI) => K,
    private readonly value: (raw: VI) => V,
  ) {}

  next(): IteratorResult<KeyValue<K, V>, undefined> {
    const result = this.inner.next();
    if (result.done) return { done: true, value: undefined };
    const raw = result.value;
    return { done: false, value: { key: this.key(raw.key), value: this.value(raw.value) } };
  }

  return(): IteratorResult<KeyValue<K, V>, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    this.inner.close();
  }

  [Symbol.iterator](): this {
    return this;
  }
}
