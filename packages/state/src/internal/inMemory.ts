import { InMemoryKeyValueStore } from '../InMemoryKeyValueStore.js';
import { InMemorySessionStore } from '../InMemorySessionStore.js';
import { InMemoryWindowStore } from '../InMemoryWindowStore.js';
import { storeSuppliersOf } from '../StoreBackend.js';

/** The in-memory store backend's suppliers (Stores.inMemory*, InMemoryDslStoreSuppliers). */
export const inMemory = storeSuppliersOf({
  kind: 'in-memory',
  keyValueStore: (name) => new InMemoryKeyValueStore(name),
  windowStore: (name, retentionMs, windowSizeMs, dups) =>
    new InMemoryWindowStore(name, retentionMs, windowSizeMs, dups),
  sessionStore: (name, retentionMs) => new InMemorySessionStore(name, retentionMs),
});
