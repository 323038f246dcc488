import type { Serde } from '@tributary/core';
import { validateName } from './Named.js';

/**
 * Serdes and name for a grouping. The name (if any) names the repartition topic `<name>-repartition` and its
 * nodes; without one the repartition topic is named after the aggregation's store. Immutable.
 */
export class Grouped<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly name: string | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped(keySerde, valueSerde, undefined);
  }

  static as<K, V>(name: string): Grouped<K, V> {
    return new Grouped<K, V>(undefined, undefined, validateName(name, 'Grouped'));
  }

  static keySerde<K, V>(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped<K, V>(keySerde, undefined, undefined);
  }

  static valueSerde<K, V>(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped<K, V>(undefined, valueSerde, undefined);
  }

  withKeySerde(keySerde: Serde<K>): Grouped<K, V> {
    return new Grouped(keySerde, this.valueSerde, this.name);
  }

  withValueSerde(valueSerde: Serde<V>): Grouped<K, V> {
    return new Grouped(this.keySerde, valueSerde, this.name);
  }

  withName(name: string): Grouped<K, V> {
    return new Grouped(this.keySerde, this.valueSerde, validateName(name, 'Grouped'));
  }
}
