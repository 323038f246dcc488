import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';

/** What the DSL asks for when it needs a window store (see {@link DslStoreSuppliers}). */
export interface DslWindowParams {
  readonly name: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  /** The grace period of the windows, for the retention check; 0 when the store is not a DSL window store. */
  readonly graceMs: number;
}

/** What the DSL asks for when it needs a session store. */
export interface DslSessionParams {
  readonly name: string;
  readonly retentionMs: number;
}

/**
 * The kind of store the DSL builds wherever a topology does not name a supplier (Kafka Streams'
 * `dsl.store.suppliers.class`): in memory ({@link InMemoryDslStoreSuppliers}) or RocksDB
 * (`RocksDBDslStoreSuppliers` in `@tributary/rocksdb`). Given to `new StreamsBuilder({ dslStoreSuppliers })`.
 */
export interface DslStoreSuppliers {
  /** Names the kind in messages and descriptions, e.g. `in-memory`, `rocksdb`. */
  readonly kind: string;
  keyValueStore(params: { readonly name: string }): KeyValueBytesStoreSupplier;
  windowStore(params: DslWindowParams): WindowBytesStoreSupplier;
  sessionStore(params: DslSessionParams): SessionBytesStoreSupplier;
}
