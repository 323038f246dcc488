import type { KeyValueStoreBuilder, LogConfig, StoreBuilder } from '@tributary/state';
import { TimestampedKeyValueStore } from './TimestampedKeyValueStore.js';
import type { ValueAndTimestamp } from './ValueAndTimestamp.js';

/**
 * Builds {@link TimestampedKeyValueStore}s over a key-value store builder whose value serde is
 * `valueAndTimestampSerde(inner)`. Immutable, like the builder it wraps.
 */
export class TimestampedKeyValueStoreBuilder<K, V> implements StoreBuilder<TimestampedKeyValueStore<K, V>> {
  constructor(readonly inner: KeyValueStoreBuilder<K, ValueAndTimestamp<V>>) {}

  get name(): string {
    return this.inner.name;
  }

  /** The key serde of the wrapped builder (interactive queries partition keys with it). */
  get keySerde() {
    return this.inner.keySerde;
  }

  /** The value serde of the wrapped builder (`valueAndTimestampSerde(inner)`; its prepare hook is forwarded). */
  get valueSerde() {
    return this.inner.valueSerde;
  }

  get logConfig(): LogConfig {
    return this.inner.logConfig;
  }

  get cachingEnabled(): boolean {
    return this.inner.cachingEnabled;
  }

  withCachingEnabled(): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(this.inner.withCachingEnabled());
  }

  withCachingDisabled(): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(this.inner.withCachingDisabled());
  }

  withLoggingEnabled(topicConfig?: Readonly<Record<string, string>>): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(this.inner.withLoggingEnabled(topicConfig));
  }

  withLoggingDisabled(): TimestampedKeyValueStoreBuilder<K, V> {
    return new TimestampedKeyValueStoreBuilder(this.inner.withLoggingDisabled());
  }

  build(): TimestampedKeyValueStore<K, V> {
    return new TimestampedKeyValueStore(this.inner.build());
  }
}
