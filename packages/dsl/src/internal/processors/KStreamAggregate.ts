import { Record } from '@tributary/core';
import type { CachedStateStore, KeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';

/**
 * aggregate / count / reduce on a grouped stream: reads the key's aggregate from the store (or starts from
 * the initializer), applies the record, writes the result back and forwards the change. Records with a null
 * key or value are dropped and counted, as in Kafka Streams. When the store is cached, changes are forwarded
 * by the cache's flush listener (deduplicated per key, at commit or eviction) instead of on every update.
 */
export class KStreamAggregate<K, V, A> implements Processor<K, V, K, Change<A>> {
  private context!: ProcessorContext<K, Change<A>>;
  private store!: KeyValueStore<K, A>;
  private cached = false;

  constructor(
    private readonly storeName: string,
    private readonly initializer: ((value: V) => A) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: A) => A,
  ) {}

  init(context: ProcessorContext<K, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<KeyValueStore<K, A>>(this.storeName);
    const cachedStore = this.store as Partial<CachedStateStore<K, A>>;
    this.cached =
      cachedStore.setFlushListener?.((key, newValue, oldValue, timestamp) => {
        context.forward(new Record(key, { newValue, oldValue }, timestamp));
      }, true) ?? false;
  }

  process(record: Record<K, V>): void {
    const { key, value } = record;
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    const oldValue = this.store.get(key);
    // Without an initializer (reduce) the first value of a key is its aggregate.
    const start = oldValue ?? (this.initializer ? this.initializer(value) : undefined);
    const newValue = start === undefined ? (value as unknown as A) : this.aggregator(key, value, start);
    this.store.put(key, newValue);
    if (!this.cached) {
      this.context.forward(new Record(key, { newValue, oldValue }, record.timestamp, record.headers));
    }
  }
}
