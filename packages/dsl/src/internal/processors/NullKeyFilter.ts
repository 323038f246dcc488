import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** Drops records with a null or undefined key before a repartition for an aggregation (they have no group). */
export class NullKeyFilter<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    if (record.key !== null && record.key !== undefined) this.context.forward(record);
  }
}
