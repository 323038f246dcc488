import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * KTable.filter / filterNot / mapValues: applies `compute` (null = filtered out) to the new and old values,
 * writes the result to the store when materialized, and forwards the change unless both sides are null.
 */
export class KTableMapper<K, V, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private store: TimestampedKeyValueStore<K, VR> | undefined;

  constructor(
    private readonly compute: (key: K, value: V) => VR | null,
    private readonly storeName: string | undefined,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    if (this.storeName !== undefined)
      this.store = context.getStateStore<TimestampedKeyValueStore<K, VR>>(this.storeName);
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change } = record;
    const newValue = change.newValue === null ? null : this.compute(key, change.newValue);
    const oldValue = change.oldValue === null ? null : this.compute(key, change.oldValue);
    if (newValue === null && oldValue === null) return;
    this.store?.putWithTimestamp(key, newValue, record.timestamp);
    this.context.forward(new Record(key, { newValue, oldValue }, record.timestamp, record.headers));
  }
}
