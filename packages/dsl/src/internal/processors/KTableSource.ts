import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * Table sources (table, globalTable, toTable): upserts each record into the store (a null value deletes)
 * with the record's timestamp and forwards the change. Null keys are skipped.
 */
export class KTableSource<K, V> implements Processor<K, V | null, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store: TimestampedKeyValueStore<K, V> | undefined;

  /** Without a store (an unmaterialized foreign-key join result) changes go on without old values. */
  constructor(private readonly storeName: string | undefined) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    if (this.storeName !== undefined) {
      this.store = context.getStateStore<TimestampedKeyValueStore<K, V>>(this.storeName);
    }
  }

  process(record: Record<K, V | null>): void {
    const key = record.key;
    if (key === null || key === undefined) return;
    const newValue = record.value ?? null;
    const store = this.store;
    const oldValue = store === undefined ? null : store.get(key);
    store?.putWithTimestamp(key, newValue, record.timestamp);
    this.context.forward(new Record(key, { newValue, oldValue }, record.timestamp, record.headers));
  }
}
