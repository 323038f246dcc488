import type { Serde } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import { CachingSessionStore } from './CachingSessionStore.js';
import { ChangeLoggingSessionStore } from './ChangeLoggingSessionStore.js';
import { MeteredSessionStore } from './MeteredSessionStore.js';
import type { SessionBytesStoreSupplier } from './SessionBytesStoreSupplier.js';
import type { SessionStore } from './SessionStore.js';
import type { LogConfig, StoreBuilder } from './StoreBuilder.js';

/** Extra time a windowed changelog keeps records beyond the store's retention (Kafka's default, 1 day). */
const CHANGELOG_ADDITIONAL_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Builds `Metered(Caching?(ChangeLogging?(supplier.get())))` session stores. Immutable: every `with*` returns
 * a new builder. Logging is on by default with changelog `cleanup.policy=compact,delete` and `retention.ms` =
 * store retention + 1 day; caching ({@link CachingSessionStore}) is off by default.
 */
export class SessionStoreBuilder<K, V> implements StoreBuilder<SessionStore<K, V>> {
  readonly logConfig: LogConfig;

  constructor(
    readonly supplier: SessionBytesStoreSupplier,
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

  withCachingEnabled(): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, true);
  }

  withCachingDisabled(): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.logConfig, false);
  }

  /** Enables the changelog; `topicConfig` entries override the defaults. */
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}): SessionStoreBuilder<K, V> {
    const logConfig = { enabled: true, topicConfig: this.defaultTopicConfig(topicConfig) };
    return new SessionStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  withLoggingDisabled(): SessionStoreBuilder<K, V> {
    const logConfig = { enabled: false, topicConfig: Object.freeze({}) };
    return new SessionStoreBuilder(
      this.supplier,
      this.keySerde,
      this.valueSerde,
      logConfig,
      this.cachingEnabled,
    );
  }

  build(): MeteredSessionStore<K, V> {
    let store: BytesSessionStore = this.supplier.get();
    if (this.logConfig.enabled) store = new ChangeLoggingSessionStore(store);
    if (this.cachingEnabled) store = new CachingSessionStore(store);
    return new MeteredSessionStore(store, this.keySerde, this.valueSerde, this.supplier.metricsScope);
  }

  private defaultTopicConfig(overrides: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    return Object.freeze({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(this.supplier.retentionMs + CHANGELOG_ADDITIONAL_RETENTION_MS),
      ...overrides,
    });
  }
}
