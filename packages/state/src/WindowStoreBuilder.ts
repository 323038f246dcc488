import type { BytesWindowStore } from './BytesWindowStore.js';
import { CachingWindowStore } from './CachingWindowStore.js';
import { ChangeLoggingWindowStore } from './ChangeLoggingWindowStore.js';
import { LayeredStoreBuilder } from './internal/LayeredStoreBuilder.js';
import { windowedChangelogConfig } from './internal/windowedChangelogConfig.js';
import { MeteredWindowStore } from './MeteredWindowStore.js';
import type { LogConfig } from './StoreBuilder.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';
import type { WindowStore } from './WindowStore.js';

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` window stores. Immutable: every `with*` returns a
 * new builder. Logging is on by default with changelog `cleanup.policy=compact,delete` and `retention.ms` =
 * store retention + 1 day; caching is off by default, and never applied to stores that retain duplicates.
 */
export class WindowStoreBuilder<K, V> extends LayeredStoreBuilder<
  WindowBytesStoreSupplier,
  K,
  V,
  WindowStore<K, V>
> {
  protected copy(logConfig: LogConfig, cachingEnabled: boolean): this {
    return new WindowStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      cachingEnabled,
    ) as this;
  }

  build(): MeteredWindowStore<K, V> {
    let store: BytesWindowStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingWindowStore(store);
    // As in Kafka Streams, stores that retain duplicates (stream-stream joins) are never cached.
    if (this.cachingEnabled && !this.supplier.retainDuplicates) store = new CachingWindowStore(store);
    return new MeteredWindowStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }

  protected defaultTopicConfig(
    overrides: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    return windowedChangelogConfig(this.supplier.retentionMs, overrides);
  }
}
