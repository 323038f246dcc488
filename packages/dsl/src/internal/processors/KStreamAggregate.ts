import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * aggregate / count / reduce on a grouped stream: reads the key's aggregate from the store (or starts from
 * the initializer), applies the record, writes the result back and forwards the change, timestamped with the
 * larger of the previous aggregate's timestamp and the record's. Records with a null
 * key or value are dropped and counted, as in Kafka Streams. When the store is cached, changes are forwarded
 * by the cache's flush listener (deduplicated per key, at commit or eviction) instead of on every update.
 */
export class KStreamAggregate<K, V, A> implements Processor<K, V, K, Change<A>> {
  private context!: ProcessorContext<K, Change<A>>;
  private store!: TimestampedKeyValueStore<K, A>;
  private cached = false;

  constructor(
    private readonly storeName: string,
    private readonly initializer: ((value: V) => A) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: A) => A,
    /** Whether forwarded changes carry the previous aggregate (a downstream operation needs it). */
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<TimestampedKeyValueStore<K, A>>(this.storeName);
    this.cached = this.store.setFlushListener((key, newValue, oldValue, timestamp) => {
      context.forward(new Record(key, { newValue, oldValue }, timestamp));
    }, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    const { key, value } = record;
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    const old = this.store.getWithTimestamp(key);
    const oldValue = old === null ? null : old.value;
    // Without an initializer (reduce) the first value of a key is its aggregate.
    const start = oldValue ?? (this.initializer ? this.initializer(value) : undefined);
    const newValue = start === undefined ? (value as unknown as A) : this.aggregator(key, value, start);
    // Kafka Streams: the larger of the previous aggregate's timestamp and the record's.
    const timestamp = old === null || old.timestamp < record.timestamp ? record.timestamp : old.timestamp;
    this.store.putWithTimestamp(key, newValue, timestamp);
    if (!this.cached) {
      this.context.forward(
        new Record(
          key,
          { newValue, oldValue: this.sendOldValues ? oldValue : null },
          timestamp,
          record.headers,
        ),
      );
    }
  }
}
