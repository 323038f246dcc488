import type { Record } from '@tributary/core';
import type { WindowStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/**
 * The buffer of one side of a stream-stream join: forwards each record to the join, then keeps it in this
 * side's window store (retaining duplicates) under its timestamp, for the other side to find. Records with a
 * null key or value can never join and are not kept.
 */
export class KStreamJoinWindow<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;
  private store!: WindowStore<K, V>;

  constructor(private readonly storeName: string) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
    this.store = context.getStateStore<WindowStore<K, V>>(this.storeName);
  }

  process(record: Record<K, V>): void {
    this.context.forward(record);
    const { key, value } = record;
    if (key !== null && key !== undefined && value !== null && value !== undefined) {
      this.store.put(key, value, record.timestamp);
    }
  }
}
