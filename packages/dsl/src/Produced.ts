import type { Serde } from '@tributary/core';
import { validateName } from './Named.js';
import type { StreamPartitioner } from './TopologyNode.js';

/** How a sink writes a topic: serdes, partitioner and sink node name. Immutable. */
export class Produced<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
    readonly name: string | undefined,
  ) {}

  static with<K, V>(
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    partitioner?: StreamPartitioner<K, V>,
  ): Produced<K, V> {
    return new Produced(keySerde, valueSerde, partitioner, undefined);
  }

  static as<K, V>(name: string): Produced<K, V> {
    return new Produced<K, V>(undefined, undefined, undefined, validateName(name, 'Produced'));
  }

  static keySerde<K, V>(keySerde: Serde<K>): Produced<K, V> {
    return new Produced<K, V>(keySerde, undefined, undefined, undefined);
  }

  static valueSerde<K, V>(valueSerde: Serde<V>): Produced<K, V> {
    return new Produced<K, V>(undefined, valueSerde, undefined, undefined);
  }

  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced<K, V>(undefined, undefined, partitioner, undefined);
  }

  withKeySerde(keySerde: Serde<K>): Produced<K, V> {
    return new Produced(keySerde, this.valueSerde, this.partitioner, this.name);
  }

  withValueSerde(valueSerde: Serde<V>): Produced<K, V> {
    return new Produced(this.keySerde, valueSerde, this.partitioner, this.name);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, partitioner, this.name);
  }

  withName(name: string): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, this.partitioner, validateName(name, 'Produced'));
  }
}
