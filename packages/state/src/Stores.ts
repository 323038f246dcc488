import type { Serde } from '@tributary/core';
import { InMemoryKeyValueStore } from './InMemoryKeyValueStore.js';
import { validateStoreName } from './internal/validateStoreName.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import { KeyValueStoreBuilder } from './KeyValueStoreBuilder.js';

/** Factories for store suppliers and builders, as in Kafka Streams' `Stores`. */
export const Stores = {
  /** A supplier of in-memory key-value stores. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    validateStoreName(name);
    return { name, metricsScope: 'in-memory-state', get: () => new InMemoryKeyValueStore(name) };
  },

  /** A builder of typed key-value stores over `supplier`: logging on, caching off. */
  keyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;
