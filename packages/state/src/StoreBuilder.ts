import type { StateStore } from './StateStore.js';

/** Changelog settings of a store: enabled, plus topic configs (e.g. `retention.ms`). */
export interface LogConfig {
  readonly enabled: boolean;
  readonly topicConfig: Readonly<Record<string, string>>;
}

/**
 * Describes a store and builds a fresh instance per task. The topology holds builders; every task calls
 * `build()` once, so tasks never share a store instance. Builders are immutable: `with*` returns a copy.
 */
export interface StoreBuilder<T extends StateStore> {
  readonly name: string;
  readonly logConfig: LogConfig;
  readonly cachingEnabled: boolean;
  withCachingEnabled(): StoreBuilder<T>;
  withCachingDisabled(): StoreBuilder<T>;
  withLoggingEnabled(topicConfig?: Readonly<Record<string, string>>): StoreBuilder<T>;
  withLoggingDisabled(): StoreBuilder<T>;
  build(): T;
}
