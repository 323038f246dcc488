import type { DslStoreSuppliers } from './DslStoreSuppliers.js';
import { Stores } from './Stores.js';

/** The DSL's in-memory stores (the default of `StreamsBuilder`). */
export const InMemoryDslStoreSuppliers: DslStoreSuppliers = {
  kind: 'in-memory',
  keyValueStore: ({ name }) => Stores.inMemoryKeyValueStore(name),
  windowStore: ({ name, retentionMs, windowSizeMs, retainDuplicates, graceMs }) =>
    Stores.inMemoryWindowStore(name, retentionMs, windowSizeMs, retainDuplicates, graceMs),
  sessionStore: ({ name, retentionMs }) => Stores.inMemorySessionStore(name, retentionMs),
};
