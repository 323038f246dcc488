import type { Windowed } from '@tributary/core';
import type {
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  ReadOnlyKeyValueStore,
  ReadOnlySessionStore,
  ReadOnlyWindowStore,
  SessionStore,
  WindowStore,
  WindowStoreEntry,
} from '@tributary/state';
import { KeyOrder } from './KeyOrder.js';

function iteratorOf<K, V>(entries: KeyValue<K, V>[]): KeyValueIterator<K, V> {
  let i = 0;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      if (i < entries.length) return { done: false, value: entries[i++]! };
      return { done: true, value: undefined };
    },
    close() {
      i = entries.length;
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

function drain<K, V>(iterator: KeyValueIterator<K, V>): KeyValue<K, V>[] {
  try {
    return [...iterator];
  } finally {
    iterator.close();
  }
}

/** A read-only key-value store over the instances of one store in every task, ordered by key. */
export class MergedKeyValueStoreView<K, V> implements ReadOnlyKeyValueStore<K, V> {
  private readonly order: KeyOrder<K>;

  constructor(
    readonly name: string,
    private readonly stores: readonly KeyValueStore<K, V>[],
  ) {
    this.order = KeyOrder.of(stores, name);
  }

  get(key: K): V | null {
    for (const store of this.stores) {
      const value = store.get(key);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.merge((s) => s.range(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.merge((s) => s.all());
  }

  prefixScan(prefix: K): KeyValueIterator<K, V> {
    return this.merge((s) => s.prefixScan(prefix));
  }

  approximateNumEntries(): number {
    let total = 0;
    for (const store of this.stores) total += store.approximateNumEntries();
    return total;
  }

  private merge(read: (store: KeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    const entries = this.stores.flatMap((s) => drain(read(s)));
    return iteratorOf(this.order.sort(entries, (e) => e.key));
  }
}

/** A read-only window store over the instances of one store in every task, ordered by key then window. */
export class MergedWindowStoreView<K, V> implements ReadOnlyWindowStore<K, V> {
  private readonly order: KeyOrder<K>;

  constructor(
    readonly name: string,
    private readonly stores: readonly WindowStore<K, V>[],
  ) {
    this.order = KeyOrder.of(stores, name);
  }

  fetch(key: K, windowStart: number): V | null {
    for (const store of this.stores) {
      const value = store.fetch(key, windowStart);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreEntry<V>[] {
    return this.stores
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
    const entries = this.stores.flatMap((s) => drain(read(s)));
    return iteratorOf(this.order.sortWindowed(entries));
  }
}

/** A read-only session store over the instances of one store in every task, ordered by key then session end. */
export class MergedSessionStoreView<K, V> implements ReadOnlySessionStore<K, V> {
  private readonly order: KeyOrder<K>;

  constructor(
    readonly name: string,
    private readonly stores: readonly SessionStore<K, V>[],
  ) {
    this.order = KeyOrder.of(stores, name);
  }

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.findSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    for (const store of this.stores) {
      const value = store.fetchSession(key, sessionStart, sessionEnd);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.fetch(key));
  }

  private merge(
    read: (store: SessionStore<K, V>) => KeyValueIterator<Windowed<K>, V>,
  ): KeyValueIterator<Windowed<K>, V> {
    const entries = this.stores.flatMap((s) => drain(read(s)));
    return iteratorOf(this.order.sortWindowed(entries, true));
  }
}
