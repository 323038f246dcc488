import type { Serde } from '@tributary/core';
import { validateName } from './Named.js';
import type { TimestampExtractor } from './TopologyNode.js';

/** How a source reads a topic: serdes, timestamp extractor and source node name. Immutable. */
export class Consumed<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly timestampExtractor: TimestampExtractor | undefined,
    readonly name: string | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed(keySerde, valueSerde, undefined, undefined);
  }

  static as<K, V>(name: string): Consumed<K, V> {
    return new Consumed<K, V>(undefined, undefined, undefined, validateName(name, 'Consumed'));
  }

  static withTimestampExtractor<K, V>(extractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed<K, V>(undefined, undefined, extractor, undefined);
  }

  withKeySerde(keySerde: Serde<K>): Consumed<K, V> {
    return new Consumed(keySerde, this.valueSerde, this.timestampExtractor, this.name);
  }

  withValueSerde(valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed(this.keySerde, valueSerde, this.timestampExtractor, this.name);
  }

  withTimestampExtractor(extractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, extractor, this.name);
  }

  withName(name: string): Consumed<K, V> {
    return new Consumed(
      this.keySerde,
      this.valueSerde,
      this.timestampExtractor,
      validateName(name, 'Consumed'),
    );
  }
}
