import type {
  DslStoreSuppliers,
  KeyValueBytesStoreSupplier,
  SessionBytesStoreSupplier,
  WindowBytesStoreSupplier,
} from '@tributary/state';
import { validateMillis, validateStoreName, validateWindowStore } from '@tributary/state';
import { RocksDBKeyValueStore } from './RocksDBKeyValueStore.js';
import { RocksDBSessionStore } from './RocksDBSessionStore.js';
import { RocksDBWindowStore } from './RocksDBWindowStore.js';

/** Suppliers of RocksDB stores, as Kafka Streams' `Stores.persistent*Store`. */
export const RocksDBStores = {
  /** A supplier of transactional RocksDB key-value stores. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    validateStoreName(name);
    return { name, metricsScope: 'rocksdb-state', get: () => new RocksDBKeyValueStore(name) };
  },

  /**
   * A supplier of RocksDB window stores keeping windows for `retentionMs` of stream time (at least the window
   * size plus the grace period); `retainDuplicates` keeps every put of a (key, start) (stream-stream joins).
   */
  persistentWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
    graceMs = 0,
  ): WindowBytesStoreSupplier {
    validateWindowStore(name, retentionMs, windowSizeMs, graceMs);
    return {
      name,
      metricsScope: 'rocksdb-window-state',
      retentionMs,
      windowSizeMs,
      retainDuplicates,
      get: () => new RocksDBWindowStore(name, retentionMs, windowSizeMs, retainDuplicates),
    };
  },

  /** A supplier of RocksDB session stores keeping sessions for `retentionMs` of stream time after their end. */
  persistentSessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    validateStoreName(name);
    validateMillis('retentionMs', name, retentionMs);
    return {
      name,
      metricsScope: 'rocksdb-session-state',
      retentionMs,
      get: () => new RocksDBSessionStore(name, retentionMs),
    };
  },
} as const;

/** The DSL's stores in RocksDB: `new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers })`. */
export const RocksDBDslStoreSuppliers: DslStoreSuppliers = {
  kind: 'rocksdb',
  keyValueStore: ({ name }) => RocksDBStores.persistentKeyValueStore(name),
  windowStore: ({ name, retentionMs, windowSizeMs, retainDuplicates, graceMs }) =>
    RocksDBStores.persistentWindowStore(name, retentionMs, windowSizeMs, retainDuplicates, graceMs),
  sessionStore: ({ name, retentionMs }) => RocksDBStores.persistentSessionStore(name, retentionMs),
};
