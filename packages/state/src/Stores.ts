import type { Serde } from '@tributary/core';
import { inMemory } from './internal/inMemory.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import { KeyValueStoreBuilder } from './KeyValueStoreBuilder.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import { SessionStoreBuilder } from './SessionStoreBuilder.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';
import { WindowStoreBuilder } from './WindowStoreBuilder.js';

/** Factories for store suppliers and builders, as in Kafka Streams' `Stores`. */
export const Stores = {
  /** A supplier of in-memory key-value stores. */
  inMemoryKeyValueStore: inMemory.keyValueStore,

  /** A supplier of in-memory window stores (see {@link BackendSuppliers.windowStore}). */
  inMemoryWindowStore: inMemory.windowStore,

  /** A supplier of in-memory session stores keeping sessions for `retentionMs` of stream time after their end. */
  inMemorySessionStore: inMemory.sessionStore,

  /** A builder of typed key-value stores over `supplier`: logging on, caching off. */
  keyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },

  /** A builder of typed window stores over `supplier`: logging on (compact,delete), caching off. */
  windowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(supplier, keySerde, valueSerde);
  },

  /** A builder of typed session stores over `supplier`: logging on (compact,delete), caching off. */
  sessionStoreBuilder<K, V>(
    supplier: SessionBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;
