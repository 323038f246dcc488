import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { DslStoreSuppliers } from './DslStoreSuppliers.js';
import { validateMillis } from './internal/validateMillis.js';
import { validateStoreName } from './internal/validateStoreName.js';
import { validateWindowStore } from './internal/validateWindowStore.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';

/** How one store technology (in memory, RocksDB) makes its bytes stores; see {@link storeSuppliersOf}. */
export interface StoreBackend {
  /** `in-memory`, `rocksdb`: the DslStoreSuppliers kind and the prefix of metric scopes (`<kind>-window-state`). */
  readonly kind: string;
  keyValueStore(name: string): BytesKeyValueStore;
  windowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
  ): BytesWindowStore;
  sessionStore(name: string, retentionMs: number): BytesSessionStore;
}

/** The validated suppliers of one backend, and its DslStoreSuppliers. */
export interface BackendSuppliers {
  keyValueStore(name: string): KeyValueBytesStoreSupplier;
  /**
   * Window stores keeping windows for `retentionMs` of stream time. The retention must cover the window size
   * plus the grace period (`graceMs`, for the DSL), or windows would be dropped while still accepting records.
   * `retainDuplicates` keeps every put of a (key, start) (stream-stream joins).
   */
  windowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
    graceMs?: number,
  ): WindowBytesStoreSupplier;
  /** Session stores keeping sessions for `retentionMs` of stream time after their end. */
  sessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier;
  readonly dsl: DslStoreSuppliers;
}

/**
 * Store suppliers over `backend`: names and durations are checked here, once for every backend, and each
 * `get()` makes a new, uninitialised store.
 */
export function storeSuppliersOf(backend: StoreBackend): BackendSuppliers {
  const suppliers: Omit<BackendSuppliers, 'dsl'> = {
    keyValueStore(name) {
      validateStoreName(name);
      return { name, metricsScope: `${backend.kind}-state`, get: () => backend.keyValueStore(name) };
    },
    windowStore(name, retentionMs, windowSizeMs, retainDuplicates, graceMs = 0) {
      validateWindowStore(name, retentionMs, windowSizeMs, graceMs);
      return {
        name,
        metricsScope: `${backend.kind}-window-state`,
        retentionMs,
        windowSizeMs,
        retainDuplicates,
        get: () => backend.windowStore(name, retentionMs, windowSizeMs, retainDuplicates),
      };
    },
    sessionStore(name, retentionMs) {
      validateStoreName(name);
      validateMillis('retentionMs', name, retentionMs);
      return {
        name,
        metricsScope: `${backend.kind}-session-state`,
        retentionMs,
        get: () => backend.sessionStore(name, retentionMs),
      };
    },
  };
  return {
    ...suppliers,
    dsl: {
      kind: backend.kind,
      keyValueStore: ({ name }) => suppliers.keyValueStore(name),
      windowStore: ({ name, retentionMs, windowSizeMs, retainDuplicates, graceMs }) =>
        suppliers.windowStore(name, retentionMs, windowSizeMs, retainDuplicates, graceMs),
      sessionStore: ({ name, retentionMs }) => suppliers.sessionStore(name, retentionMs),
    },
  };
}
