import type { KeyValue, KeyValueIterator } from '../KeyValueIterator.js';

/** An iterator over entries already read (merged views read every task's store, then sort). */
export function iteratorOf<K, V>(entries: KeyValue<K, V>[]): KeyValueIterator<K, V> {
  let i = 0;
  const iterator: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      if (i < entries.length) return { done: false, value: entries[i++]! };
      return { done: true, value: undefined };
    },
    close() {
      i = entries.length;
    },
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Reads an iterator to its end and closes it. */
export function drain<K, V>(iterator: KeyValueIterator<K, V>): KeyValue<K, V>[] {
  try {
    return [...iterator];
  } finally {
    iterator.close();
  }
}
