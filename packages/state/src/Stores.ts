import type { Serde } from '@tributary/core';
import { InMemoryKeyValueStore } from './InMemoryKeyValueStore.js';
import { InMemorySessionStore } from './InMemorySessionStore.js';
import { InMemoryWindowStore } from './InMemoryWindowStore.js';
import { validateMillis } from './internal/validateMillis.js';
import { validateStoreName } from './internal/validateStoreName.js';
import { validateWindowStore } from './internal/validateWindowStore.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import { KeyValueStoreBuilder } from './KeyValueStoreBuilder.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import { SessionStoreBuilder } from './SessionStoreBuilder.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';
import { WindowStoreBuilder } from './WindowStoreBuilder.js';

/** Factories for store suppliers and builders, as in Kafka Streams' `Stores`. */
export const Stores = {
  /** A supplier of in-memory key-value stores. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    validateStoreName(name);
    return { name, metricsScope: 'in-memory-state', get: () => new InMemoryKeyValueStore(name) };
  },

  /**
   * A supplier of in-memory window stores keeping windows for `retentionMs` of stream time. The retention
   * must cover the window size plus the grace period (`graceMs`, for the DSL), or windows would be dropped
   * while still accepting records. `retainDuplicates` keeps every put of a (key, start) (stream-stream joins).
   */
  inMemoryWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
    graceMs = 0,
  ): WindowBytesStoreSupplier {
    validateWindowStore(name, retentionMs, windowSizeMs, graceMs);
    return {
      name,
      metricsScope: 'in-memory-window-state',
      retentionMs,
      windowSizeMs,
      retainDuplicates,
      get: () => new InMemoryWindowStore(name, retentionMs, windowSizeMs, retainDuplicates),
    };
  },

  /** A supplier of in-memory session stores keeping sessions for `retentionMs` of stream time after their end. */
  inMemorySessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    validateStoreName(name);
    validateMillis('retentionMs', name, retentionMs);
    return {
      name,
      metricsScope: 'in-memory-session-state',
      retentionMs,
      get: () => new InMemorySessionStore(name, retentionMs),
    };
  },

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
