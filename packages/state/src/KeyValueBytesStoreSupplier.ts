import type { BytesKeyValueStore } from './BytesKeyValueStore.js';

/** Makes the innermost bytes store of a key-value store; in-memory here, RocksDB in `@tributary/rocksdb`. */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  /** Names the store kind in metrics, e.g. `in-memory-state`, `rocksdb-state`. */
  readonly metricsScope: string;
  /** A new, uninitialised store on every call. */
  get(): BytesKeyValueStore;
}
