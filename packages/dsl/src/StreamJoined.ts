import { type Serde, TopologyError } from '@tributary/core';
import type { DslStoreSuppliers } from '@tributary/state';
import { checkDslStoreSuppliers } from './internal/checkDslStoreSuppliers.js';
import { validateName } from './Named.js';

/**
 * Serdes, names and store settings of a stream-stream join. `name` names the processors (`<name>-this-join`, ...)
 * and repartition topics (`<name>-left-repartition`, `<name>-right-repartition`); `storeName` names the window
 * stores (`<storeName>-this-join-store`, `-other-join-store`, `-outer-shared-join-store`), else they are named
 * after the processors. `withDslStoreSuppliers` chooses their store type instead of the StreamsBuilder's. Immutable.
 */
export class StreamJoined<K, V1, V2> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V1> | undefined,
    readonly otherValueSerde: Serde<V2> | undefined,
    readonly name: string | undefined,
    readonly storeName: string | undefined,
    readonly loggingEnabled: boolean,
    readonly logConfig: Readonly<Record<string, string>>,
    /** The store type of the join stores; undefined = the StreamsBuilder's `dslStoreSuppliers`. */
    readonly dslStoreSuppliers: DslStoreSuppliers | undefined = undefined,
  ) {}

  static with<K, V1, V2>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V1> | undefined,
    otherValueSerde: Serde<V2> | undefined,
  ): StreamJoined<K, V1, V2> {
    return new StreamJoined(keySerde, valueSerde, otherValueSerde, undefined, undefined, true, {});
  }

  static as<K, V1, V2>(storeName: string): StreamJoined<K, V1, V2> {
    return new StreamJoined<K, V1, V2>(
      undefined,
      undefined,
      undefined,
      undefined,
      validateName(storeName, 'StreamJoined store name'),
      true,
      {},
    );
  }

  withName(name: string): StreamJoined<K, V1, V2> {
    return this.copy({ name: validateName(name, 'StreamJoined') });
  }

  withStoreName(storeName: string): StreamJoined<K, V1, V2> {
    return this.copy({ storeName: validateName(storeName, 'StreamJoined store name') });
  }

  withKeySerde(keySerde: Serde<K>): StreamJoined<K, V1, V2> {
    return this.copy({ keySerde });
  }

  withValueSerde(valueSerde: Serde<V1>): StreamJoined<K, V1, V2> {
    return this.copy({ valueSerde });
  }

  withOtherValueSerde(otherValueSerde: Serde<V2>): StreamJoined<K, V1, V2> {
    return this.copy({ otherValueSerde });
  }

  /** Keep changelogs for the join stores (the default), with extra topic configs. */
  withLoggingEnabled(config: Readonly<Record<string, string>> = {}): StreamJoined<K, V1, V2> {
    return this.copy({ loggingEnabled: true, logConfig: { ...config } });
  }

  withLoggingDisabled(): StreamJoined<K, V1, V2> {
    return this.copy({ loggingEnabled: false, logConfig: {} });
  }

  /**
   * Builds the join's window stores and outer store from `suppliers` instead of the StreamsBuilder's
   * `dslStoreSuppliers`, as Kafka Streams' `StreamJoined.withDslStoreSuppliers`.
   */
  withDslStoreSuppliers(suppliers: DslStoreSuppliers): StreamJoined<K, V1, V2> {
    const checked = checkDslStoreSuppliers(
      suppliers,
      'StreamJoined.withDslStoreSuppliers(...)',
      (message) => new TopologyError(message),
    );
    return this.copy({ dslStoreSuppliers: checked });
  }

  private copy(
    change: Partial<
      Pick<
        StreamJoined<K, V1, V2>,
        | 'keySerde'
        | 'valueSerde'
        | 'otherValueSerde'
        | 'name'
        | 'storeName'
        | 'loggingEnabled'
        | 'logConfig'
        | 'dslStoreSuppliers'
      >
    >,
  ): StreamJoined<K, V1, V2> {
    return new StreamJoined(
      'keySerde' in change ? change.keySerde : this.keySerde,
      'valueSerde' in change ? change.valueSerde : this.valueSerde,
      'otherValueSerde' in change ? change.otherValueSerde : this.otherValueSerde,
      change.name ?? this.name,
      change.storeName ?? this.storeName,
      change.loggingEnabled ?? this.loggingEnabled,
      change.logConfig ?? this.logConfig,
      change.dslStoreSuppliers ?? this.dslStoreSuppliers,
    );
  }
}
