import type { BytesWindowStore } from './BytesWindowStore.js';

/** Makes the innermost bytes store of a window store; in-memory here, RocksDB in `@tributary/rocksdb`. */
export interface WindowBytesStoreSupplier {
  readonly name: string;
  /** Names the store kind in metrics, e.g. `in-memory-window-state`. */
  readonly metricsScope: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  /** A new, uninitialised store on every call. */
  get(): BytesWindowStore;
}
