import type { Serde } from '@tributary/core';
import type { StateStore } from '../StateStore.js';
import type { LogConfig, StoreBuilder } from '../StoreBuilder.js';

/** What a store builder needs of its bytes-store supplier. */
interface NamedSupplier {
  readonly name: string;
}

/**
 * The immutable `with*` mechanics every store builder shares: each `with*` returns a copy (built by the
 * subclass's `copy`) with caching or logging switched, and enabling logging merges the given topic configs
 * over the subclass's defaults. The subclass layers the store in `build()`.
 */
export abstract class LayeredStoreBuilder<S extends NamedSupplier, K, V, T extends StateStore>
  implements StoreBuilder<T>
{
  readonly logConfig: LogConfig;

  constructor(
    readonly supplier: S,
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

  /** A builder like this one with the given log config and caching. */
  protected abstract copy(logConfig: LogConfig, cachingEnabled: boolean): this;
  /** The changelog topic configs with `overrides` applied. */
  protected abstract defaultTopicConfig(
    overrides: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>>;
  abstract build(): T;

  withCachingEnabled(): this {
    return this.copy(this.logConfig, true);
  }

  withCachingDisabled(): this {
    return this.copy(this.logConfig, false);
  }

  /** Enables the changelog; `topicConfig` entries override the defaults. */
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}): this {
    return this.copy(
      { enabled: true, topicConfig: this.defaultTopicConfig(topicConfig) },
      this.cachingEnabled,
    );
  }

  withLoggingDisabled(): this {
    return this.copy({ enabled: false, topicConfig: Object.freeze({}) }, this.cachingEnabled);
  }
}
