import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** peek (forwards the record after the action) and foreach (`forward` false: a terminal node). */
export class KStreamPeek<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;

  constructor(
    private readonly action: (key: K, value: V) => void,
    private readonly forward: boolean,
  ) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    this.action(record.key, record.value);
    if (this.forward) this.context.forward(record);
  }
}
