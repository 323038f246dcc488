import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** Forwards every record unchanged: merge nodes and branch children. */
export class PassThrough<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    this.context.forward(record);
  }
}
