/**
 * A table replicated in full on every instance, filled from all partitions of its topic by a global store.
 * Streams join it with `KStream.join(globalTable, keySelector, joiner)` / `leftJoin`, looking up its store.
 */
export class GlobalKTable<K, V> {
  /** @internal Made by `StreamsBuilder.globalTable()`. */
  constructor(readonly queryableStoreName: string) {}

  /** Phantom members so that GlobalKTable<K, V> keeps its type parameters. */
  declare private readonly _key?: K;
  declare private readonly _value?: V;
}
