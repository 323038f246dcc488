import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { StateStore } from './StateStore.js';

/** Read-only view of a key-value store: what interactive queries and `ValueGetter`s see. */
export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | null;
  /** Entries with from <= key <= to, in key order; either bound undefined means unbounded. */
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V>;
  all(): KeyValueIterator<K, V>;
  /** Entries whose serialized key starts with the serialized prefix. */
  prefixScan(prefix: K): KeyValueIterator<K, V>;
  approximateNumEntries(): number;
}

/** A key-value store. `put(key, null)` deletes, like a tombstone. */
export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  put(key: K, value: V | null): void;
  putIfAbsent(key: K, value: V): V | null;
  putAll(entries: readonly KeyValue<K, V | null>[]): void;
  delete(key: K): V | null;
}
