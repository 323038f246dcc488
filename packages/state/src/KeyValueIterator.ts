/** A key/value pair returned by store reads. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/**
 * A synchronous iterator over store entries in key order (byte order of the serialized key). Close it, or
 * exhaust it, before writing to the same store. It is also a plain JS iterable.
 */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>> {
  close(): void;
}
