import type { BytesSessionStore } from './BytesSessionStore.js';

/** Makes the innermost bytes store of a session store; in-memory here, RocksDB in `@tributary/rocksdb`. */
export interface SessionBytesStoreSupplier {
  readonly name: string;
  /** Names the store kind in metrics, e.g. `in-memory-session-state`. */
  readonly metricsScope: string;
  readonly retentionMs: number;
  /** A new, uninitialised store on every call. */
  get(): BytesSessionStore;
}
