import type { Windowed } from '@tributary/core';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { StateStore } from './StateStore.js';

/** A value stored under (key, window start). */
export interface WindowStoreEntry<V> {
  readonly windowStart: number;
  readonly value: V;
}

/** Read-only view of a window store. Time bounds are inclusive window-start times. */
export interface ReadOnlyWindowStore<K, V> {
  fetch(key: K, windowStart: number): V | null;
  /** Windows of one key with timeFrom <= start <= timeTo, in start order. */
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreEntry<V>[];
  /** Windows of keys in [keyFrom, keyTo] (undefined = unbounded) with start in [timeFrom, timeTo]. */
  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V>;
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  all(): KeyValueIterator<Windowed<K>, V>;
}

/**
 * Values keyed by (key, window start). Windows whose start is older than stream time - retention are
 * dropped (by segment) and no longer returned. `put(key, null, start)` deletes.
 */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  put(key: K, value: V | null, windowStart: number): void;
}
