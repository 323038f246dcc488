import { type Serde, TopologyError } from '@tributary/core';
import type { DslStoreSuppliers } from '@tributary/state';
import { checkDslStoreSuppliers } from './internal/checkDslStoreSuppliers.js';
import { validateName } from './Named.js';

/**
 * How a table or aggregation is stored: store name (queryable, and the changelog `<name>-changelog`), serdes,
 * changelog and cache settings, store type. Without a name the store gets a generated one. Immutable.
 */
export class Materialized<K, V> {
  private constructor(
    readonly storeName: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly loggingEnabled: boolean,
    readonly logConfig: Readonly<Record<string, string>>,
    readonly cachingEnabled: boolean,
    /** Window/session store retention in ms; undefined = the windows' size (or gap) plus grace. */
    readonly retentionMs: number | undefined = undefined,
    /** The store type of this operator (`withStoreType`); undefined = the StreamsBuilder's `dslStoreSuppliers`. */
    readonly dslStoreSuppliers: DslStoreSuppliers | undefined = undefined,
  ) {}

  static as<K, V>(storeName: string): Materialized<K, V> {
    return new Materialized<K, V>(
      validateName(storeName, 'Materialized'),
      undefined,
      undefined,
      true,
      {},
      true,
    );
  }

  static with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined): Materialized<K, V> {
    return new Materialized(undefined, keySerde, valueSerde, true, {}, true);
  }

  withKeySerde(keySerde: Serde<K>): Materialized<K, V> {
    return this.copy({ keySerde });
  }

  withValueSerde(valueSerde: Serde<V>): Materialized<K, V> {
    return this.copy({ valueSerde });
  }

  /** Keep a changelog topic `<application.id>-<store>-changelog` (the default), with extra topic configs. */
  withLoggingEnabled(config: Readonly<Record<string, string>> = {}): Materialized<K, V> {
    return this.copy({ loggingEnabled: true, logConfig: { ...config } });
  }

  withLoggingDisabled(): Materialized<K, V> {
    return this.copy({ loggingEnabled: false, logConfig: {} });
  }

  withCachingEnabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: true });
  }

  withCachingDisabled(): Materialized<K, V> {
    return this.copy({ cachingEnabled: false });
  }

  /**
   * How long a window or session store keeps windows, in ms of stream time; at least the window size (or
   * inactivity gap) plus the grace period, which is also the default. Windowed aggregations only.
   */
  withRetention(retentionMs: number): Materialized<K, V> {
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
      throw new TypeError(
        `Materialized.withRetention(${retentionMs}): give a whole number of milliseconds >= 0`,
      );
    }
    return this.copy({ retentionMs });
  }

  /**
   * Builds this operator's store from `suppliers` (e.g. `RocksDBDslStoreSuppliers` from `@tributary/rocksdb`)
   * instead of the StreamsBuilder's `dslStoreSuppliers`, as Kafka Streams' `Materialized.withStoreType`.
   */
  withStoreType(suppliers: DslStoreSuppliers): Materialized<K, V> {
    const checked = checkDslStoreSuppliers(
      suppliers,
      'Materialized.withStoreType(...)',
      (message) => new TopologyError(message),
    );
    return this.copy({ dslStoreSuppliers: checked });
  }

  private copy(
    change: Partial<
      Pick<
        Materialized<K, V>,
        | 'keySerde'
        | 'valueSerde'
        | 'loggingEnabled'
        | 'logConfig'
        | 'cachingEnabled'
        | 'retentionMs'
        | 'dslStoreSuppliers'
      >
    >,
  ): Materialized<K, V> {
    return new Materialized(
      this.storeName,
      'keySerde' in change ? change.keySerde : this.keySerde,
      'valueSerde' in change ? change.valueSerde : this.valueSerde,
      change.loggingEnabled ?? this.loggingEnabled,
      change.logConfig ?? this.logConfig,
      change.cachingEnabled ?? this.cachingEnabled,
      change.retentionMs ?? this.retentionMs,
      change.dslStoreSuppliers ?? this.dslStoreSuppliers,
    );
  }
}
