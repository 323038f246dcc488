import { KeyOrder } from './internal/KeyOrder.js';
import { drain, iteratorOf } from './internal/readAll.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { KeyValueStore, ReadOnlyKeyValueStore } from './KeyValueStore.js';

/**
 * A read-only key-value store over the instances of one store in several tasks, ordered by key: the test
 * driver's `getKeyValueStore` and `KafkaStreams.keyValueStore` (interactive queries). `stores` is asked on
 * every read, so the view follows tasks that come and go.
 */
export class MergedKeyValueStoreView<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => readonly KeyValueStore<K, V>[],
  ) {}

  get(key: K): V | null {
    for (const store of this.stores()) {
      const value = store.get(key);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.merge((s) => s.range(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.merge((s) => s.all());
  }

  prefixScan(prefix: K): KeyValueIterator<K, V> {
    return this.merge((s) => s.prefixScan(prefix));
  }

  approximateNumEntries(): number {
    let total = 0;
    for (const store of this.stores()) total += store.approximateNumEntries();
    return total;
  }

  private merge(read: (store: KeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    const stores = this.stores();
    const entries = stores.flatMap((s) => drain(read(s)));
    return iteratorOf(KeyOrder.of<K>(stores, this.name).sort(entries, (e) => e.key));
  }
}
