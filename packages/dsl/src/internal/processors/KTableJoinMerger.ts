import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * Where both sides of a KTable-KTable join meet: writes the result to its store when the join is materialized
 * (a null new value deletes) and forwards the change.
 */
export class KTableJoinMerger<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store: TimestampedKeyValueStore<K, V> | undefined;

  constructor(private readonly storeName: string | undefined) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    if (this.storeName !== undefined)
      this.store = context.getStateStore<TimestampedKeyValueStore<K, V>>(this.storeName);
  }

  process(record: Record<K, Change<V>>): void {
    this.store?.putWithTimestamp(record.key, record.value.newValue, record.timestamp);
    this.context.forward(record);
  }
}
