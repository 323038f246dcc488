import type { Windowed } from '@tributary/core';
import { KeyOrder } from './internal/KeyOrder.js';
import { drain, iteratorOf } from './internal/readAll.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { ReadOnlyWindowStore, WindowStore, WindowStoreEntry } from './WindowStore.js';

/**
 * A read-only window store over the instances of one store in several tasks, ordered by key then window
 * (see MergedKeyValueStoreView).
 */
export class MergedWindowStoreView<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => readonly WindowStore<K, V>[],
  ) {}

  fetch(key: K, windowStart: number): V | null {
    for (const store of this.stores()) {
      const value = store.fetch(key, windowStart);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreEntry<V>[] {
    return this.stores()
      .flatMap((s) => s.fetchRange(key, timeFrom, timeTo))
      .sort((a, b) => a.windowStart - b.windowStart);
  }

  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.all());
  }

  private merge(
    read: (store: WindowStore<K, V>) => KeyValueIterator<Windowed<K>, V>,
  ): KeyValueIterator<Windowed<K>, V> {
    const stores = this.stores();
    const entries = stores.flatMap((s) => drain(read(s)));
    return iteratorOf(KeyOrder.of<K>(stores, this.name).sortWindowed(entries));
  }
}
