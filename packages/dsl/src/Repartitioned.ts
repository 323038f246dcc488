import type { Serde } from '@tributary/core';
import { validateName } from './Named.js';
import type { StreamPartitioner } from './TopologyNode.js';

/**
 * Settings of an explicit `repartition()`: serdes, topic name (`<name>-repartition`), partition count and
 * partitioner. Without a partition count the topic gets the count of its co-partitioning group. Immutable.
 */
export class Repartitioned<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly name: string | undefined,
    readonly numberOfPartitions: number | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned(keySerde, valueSerde, undefined, undefined, undefined);
  }

  static as<K, V>(name: string): Repartitioned<K, V> {
    return new Repartitioned<K, V>(
      undefined,
      undefined,
      validateName(name, 'Repartitioned'),
      undefined,
      undefined,
    );
  }

  static numberOfPartitions<K, V>(count: number): Repartitioned<K, V> {
    return new Repartitioned<K, V>(undefined, undefined, undefined, checkCount(count), undefined);
  }

  static streamPartitioner<K, V>(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned<K, V>(undefined, undefined, undefined, undefined, partitioner);
  }

  withKeySerde(keySerde: Serde<K>): Repartitioned<K, V> {
    return new Repartitioned(keySerde, this.valueSerde, this.name, this.numberOfPartitions, this.partitioner);
  }

  withValueSerde(valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned(this.keySerde, valueSerde, this.name, this.numberOfPartitions, this.partitioner);
  }

  withName(name: string): Repartitioned<K, V> {
    const checked = validateName(name, 'Repartitioned');
    return new Repartitioned(
      this.keySerde,
      this.valueSerde,
      checked,
      this.numberOfPartitions,
      this.partitioner,
    );
  }

  withNumberOfPartitions(count: number): Repartitioned<K, V> {
    return new Repartitioned(this.keySerde, this.valueSerde, this.name, checkCount(count), this.partitioner);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned(this.keySerde, this.valueSerde, this.name, this.numberOfPartitions, partitioner);
  }
}

function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Repartitioned.numberOfPartitions must be a positive integer, got ${count}`);
  }
  return count;
}
