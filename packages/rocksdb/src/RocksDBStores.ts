import { type DslStoreSuppliers, storeSuppliersOf } from '@tributary/state';
import { RocksDBKeyValueStore } from './RocksDBKeyValueStore.js';
import { RocksDBSessionStore } from './RocksDBSessionStore.js';
import { RocksDBWindowStore } from './RocksDBWindowStore.js';

const rocksdb = storeSuppliersOf({
  kind: 'rocksdb',
  keyValueStore: (name) => new RocksDBKeyValueStore(name),
  windowStore: (name, retentionMs, windowSizeMs, dups) =>
    new RocksDBWindowStore(name, retentionMs, windowSizeMs, dups),
  sessionStore: (name, retentionMs) => new RocksDBSessionStore(name, retentionMs),
});

/** Suppliers of RocksDB stores, as Kafka Streams' `Stores.persistent*Store`. */
export const RocksDBStores = {
  /** A supplier of transactional RocksDB key-value stores. */
  persistentKeyValueStore: rocksdb.keyValueStore,
  /**
   * A supplier of RocksDB window stores keeping windows for `retentionMs` of stream time (at least the window
   * size plus the grace period); `retainDuplicates` keeps every put of a (key, start) (stream-stream joins).
   */
  persistentWindowStore: rocksdb.windowStore,
  /** A supplier of RocksDB session stores keeping sessions for `retentionMs` of stream time after their end. */
  persistentSessionStore: rocksdb.sessionStore,
} as const;

/** The DSL's stores in RocksDB: `new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers })`. */
export const RocksDBDslStoreSuppliers: DslStoreSuppliers = rocksdb.dsl;
