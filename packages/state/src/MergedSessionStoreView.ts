import type { Windowed } from '@tributary/core';
import { KeyOrder } from './internal/KeyOrder.js';
import { drain, iteratorOf } from './internal/readAll.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { ReadOnlySessionStore, SessionStore } from './SessionStore.js';

/**
 * A read-only session store over the instances of one store in several tasks, ordered by key then session end
 * (see MergedKeyValueStoreView).
 */
export class MergedSessionStoreView<K, V> implements ReadOnlySessionStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => readonly SessionStore<K, V>[],
  ) {}

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    return this.merge((s) => s.findSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    for (const store of this.stores()) {
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
    const stores = this.stores();
    const entries = stores.flatMap((s) => drain(read(s)));
    return iteratorOf(KeyOrder.of<K>(stores, this.name).sortWindowed(entries, true));
  }
}
