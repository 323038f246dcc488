import type { BytesSessionStore } from './BytesSessionStore.js';
import { CachingSessionStore } from './CachingSessionStore.js';
import { ChangeLoggingSessionStore } from './ChangeLoggingSessionStore.js';
import { LayeredStoreBuilder } from './internal/LayeredStoreBuilder.js';
import { windowedChangelogConfig } from './internal/windowedChangelogConfig.js';
import { MeteredSessionStore } from './MeteredSessionStore.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import type { SessionStore } from './SessionStore.js';
import type { LogConfig } from './StoreBuilder.js';

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` session stores. Immutable: every `with*` returns
 * a new builder. Logging is on by default with changelog `cleanup.policy=compact,delete` and `retention.ms` =
 * store retention + 1 day; caching ({@link CachingSessionStore}) is off by default.
 */
export class SessionStoreBuilder<K, V> extends LayeredStoreBuilder<
  SessionBytesStoreSupplier,
  K,
  V,
  SessionStore<K, V>
> {
  protected copy(logConfig: LogConfig, cachingEnabled: boolean): this {
    return new SessionStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      cachingEnabled,
    ) as this;
  }

  build(): MeteredSessionStore<K, V> {
    let store: BytesSessionStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingSessionStore(store);
    if (this.cachingEnabled) store = new CachingSessionStore(store);
    return new MeteredSessionStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }

  protected defaultTopicConfig(
    overrides: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    return windowedChangelogConfig(this.supplier.retentionMs, overrides);
  }
}
