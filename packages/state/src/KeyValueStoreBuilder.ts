import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import { CachingKeyValueStore } from './CachingKeyValueStore.js';
import { ChangeLoggingKeyValueStore } from './ChangeLoggingKeyValueStore.js';
import { LayeredStoreBuilder } from './internal/LayeredStoreBuilder.js';
import type { KeyValueBytesStoreSupplier } from './KeyValueBytesStoreSupplier.js';
import type { KeyValueStore } from './KeyValueStore.js';
import { MeteredKeyValueStore } from './MeteredKeyValueStore.js';
import type { LogConfig } from './StoreBuilder.js';

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` key-value stores. Immutable: every `with*`
 * returns a new builder. Logging is on by default (changelog `cleanup.policy=compact`), caching off.
 */
export class KeyValueStoreBuilder<K, V> extends LayeredStoreBuilder<
  KeyValueBytesStoreSupplier,
  K,
  V,
  KeyValueStore<K, V>
> {
  protected copy(logConfig: LogConfig, cachingEnabled: boolean): this {
    return new KeyValueStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      cachingEnabled,
    ) as this;
  }

  /** `cleanup.policy=compact`, with `overrides` applied. */
  protected defaultTopicConfig(
    overrides: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    return Object.freeze({ 'cleanup.policy': 'compact', ...overrides });
  }

  build(): MeteredKeyValueStore<K, V> {
    let store: BytesKeyValueStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingKeyValueStore(store);
    if (this.cachingEnabled) store = new CachingKeyValueStore(store);
    return new MeteredKeyValueStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }
}
