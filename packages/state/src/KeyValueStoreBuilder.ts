import type { Serde } from '@tributary/core';
import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { ChangeLoggingKeyValueStore } from './ChangeLoggingKeyValueStore.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import type { KeyValueStore } from './KeyValueStore.js';
import { MeteredKeyValueStore } from './MeteredKeyValueStore.js';
import type { LogConfig, StoreBuilder } from './StoreBuilder.js';

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` key-value stores. Immutable: every `with*`
 * returns a new builder. Logging is on by default (changelog `cleanup.policy=compact`), caching off.
 */
export class KeyValueStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
  constructor(
    readonly supplier: KeyValueBytesStoreSupplier,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    readonly logConfig: LogConfig = {
      enabled: true,
      topicConfig: Object.freeze({ 'cleanup.policy': 'compact' }),
    },
    readonly cachingEnabled = false,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  withCachingEnabled(): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, true);
  }

  withCachingDisabled(): KeyValueStoreBuilder<K, V> {
    return new KeyValueStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, false);
  }

  /** Enables the changelog; `topicConfig` entries override the defaults (`cleanup.policy=compact`). */
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}): KeyValueStoreBuilder<K, V> {
    const logConfig = {
      enabled: true,
      topicConfig: Object.freeze({ 'cleanup.policy': 'compact', ...topicConfig }),
    };
    return new KeyValueStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  withLoggingDisabled(): KeyValueStoreBuilder<K, V> {
    const logConfig = { enabled: false, topicConfig: Object.freeze({}) };
    return new KeyValueStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  build(): MeteredKeyValueStore<K, V> {
    let store: BytesKeyValueStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingKeyValueStore(store);
    if (this.cachingEnabled) store = new CachingKeyValueStore(store);
    return new MeteredKeyValueStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }
}
