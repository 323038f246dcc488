import type { Serde } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import { CachingWindowStore } from './CachingWindowStore.js';
import { ChangeLoggingWindowStore } from './ChangeLoggingWindowStore.js';
import { MeteredWindowStore } from './MeteredWindowStore.js';
import type { LogConfig, StoreBuilder } from './StoreBuilder.js';
import type { WindowBytesStoreSupplier } from './WindowBytesStoreSupplier.js';
import type { WindowStore } from './WindowStore.js';

/** Extra time a windowed changelog keeps records beyond the store's retention (Kafka's default, 1 day). */
const CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` window stores. Immutable: every `with*` returns a
 * new builder. Logging is on by default with changelog `cleanup.policy=compact,delete` and `retention.ms` =
 * store retention + 1 day; caching is off by default, and never applied to stores that retain duplicates.
 */
export class WindowStoreBuilder<K, V> implements StoreBuilder<WindowStore<K, V>> {
  readonly logConfig: LogConfig;

  constructor(
    readonly supplier: WindowBytesStoreSupplier,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    logConfig?: LogConfig,
    readonly cachingEnabled = false,
  ) {
    this.logConfig = logConfig ?? { enabled: true, topicConfig: this.defaultTopicConfig({}) };
  }

  get name(): string {
    return this.supplier.name;
  }

  withCachingEnabled(): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, true);
  }

  withCachingDisabled(): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, false);
  }

  /** Enables the changelog; `topicConfig` entries override the defaults. */
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}): WindowStoreBuilder<K, V> {
    const logConfig = { enabled: true, topicConfig: this.defaultTopicConfig(topicConfig) };
    return new WindowStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  withLoggingDisabled(): WindowStoreBuilder<K, V> {
    const logConfig = { enabled: false, topicConfig: Object.freeze({}) };
    return new WindowStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  build(): MeteredWindowStore<K, V> {
    let store: BytesWindowStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingWindowStore(store);
    // As in Kafka Streams, stores that retain duplicates (stream-stream joins) are never cached.
    if (this.cachingEnabled && !this.supplier.retainDuplicates) store = new CachingWindowStore(store);
    return new MeteredWindowStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }

  private defaultTopicConfig(overrides: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    return Object.freeze({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(this.supplier.retentionMs + CHANGELOG_ADDITIONAL_RETENTION_MS),
      ...overrides,
    });
  }
}
