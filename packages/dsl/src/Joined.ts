import type { Serde } from '@tributary/core';
import { validateName } from './Named.js';

/**
 * Serdes and name of a stream-table join: the key and stream value serdes are used when the stream must be
 * repartitioned first (topic `<name>-left-repartition`, or named after the stream's node), the table value serde
 * is informational. The name also names the join processor. Immutable.
 */
export class Joined<K, V, VO> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly otherValueSerde: Serde<VO> | undefined,
    readonly name: string | undefined,
  ) {}

  static with<K, V, VO>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    otherValueSerde?: Serde<VO>,
    name?: string,
  ): Joined<K, V, VO> {
    return new Joined(
      keySerde,
      valueSerde,
      otherValueSerde,
      name === undefined ? undefined : validateName(name, 'Joined'),
    );
  }

  static as<K, V, VO>(name: string): Joined<K, V, VO> {
    return new Joined<K, V, VO>(undefined, undefined, undefined, validateName(name, 'Joined'));
  }

  withKeySerde(keySerde: Serde<K>): Joined<K, V, VO> {
    return new Joined(keySerde, this.valueSerde, this.otherValueSerde, this.name);
  }

  withValueSerde(valueSerde: Serde<V>): Joined<K, V, VO> {
    return new Joined(this.keySerde, valueSerde, this.otherValueSerde, this.name);
  }

  withOtherValueSerde(otherValueSerde: Serde<VO>): Joined<K, V, VO> {
    return new Joined(this.keySerde, this.valueSerde, otherValueSerde, this.name);
  }

  withName(name: string): Joined<K, V, VO> {
    return new Joined(this.keySerde, this.valueSerde, this.otherValueSerde, validateName(name, 'Joined'));
  }
}
