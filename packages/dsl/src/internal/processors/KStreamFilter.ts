import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** filter / filterNot: forwards the record unchanged when `predicate` returns `!negate`. */
export class KStreamFilter<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;

  constructor(
    private readonly predicate: (key: K, value: V) => boolean,
    private readonly negate: boolean,
  ) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    if (this.predicate(record.key, record.value) !== this.negate) this.context.forward(record);
  }
}
