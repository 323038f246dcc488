import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore } from './RestorableStateStore.js';

/**
 * The bytes-level key-value store that in-memory and RocksDB stores implement and that the caching and
 * change-logging decorators wrap. Keys order by unsigned byte order. `put(key, null)` deletes.
 * Buffers passed in are owned by the store afterwards (callers pass freshly serialized bytes); buffers
 * returned must not be mutated.
 */
export interface BytesKeyValueStore extends RestorableStateStore {
  get(key: Buffer): Buffer | null;
  put(key: Buffer, value: Buffer | null): void;
  /** Puts only when the key is absent; returns the existing value, or null when it put. */
  putIfAbsent(key: Buffer, value: Buffer): Buffer | null;
  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void;
  /** Deletes and returns the previous value. */
  delete(key: Buffer): Buffer | null;
  /** from <= key <= to in byte order; undefined = unbounded; empty when from > to. */
  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer>;
  all(): KeyValueIterator<Buffer, Buffer>;
  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer>;
  approximateNumEntries(): number;
}
