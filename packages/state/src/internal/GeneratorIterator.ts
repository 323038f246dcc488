import type { KeyValue, KeyValueIterator } from '../KeyValueIterator.js';

/** A {@link KeyValueIterator} over a generator or any iterator (for the less hot window and session scans). */
export class GeneratorIterator<K, V> implements KeyValueIterator<K, V> {
  constructor(private readonly generator: Iterator<KeyValue<K, V>, unknown, undefined>) {}

  next(): IteratorResult<KeyValue<K, V>, undefined> {
    const result = this.generator.next();
    return result.done ? { done: true, value: undefined } : (result as IteratorYieldResult<KeyValue<K, V>>);
  }

  return(): IteratorResult<KeyValue<K, V>, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    this.generator.return?.();
  }

  [Symbol.iterator](): this {
    return this;
  }
}
