import type { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/**
 * split(): sends each record to the child of the first predicate that matches, else to the default child
 * (if any), else drops it. `predicates` and `childNames` are filled while the DSL declares branches.
 */
export class KStreamBranch<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;

  constructor(
    private readonly predicates: readonly ((key: K, value: V) => boolean)[],
    private readonly childNames: readonly string[],
    private readonly defaultChild: () => string | undefined,
  ) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    const predicates = this.predicates;
    for (let i = 0; i < predicates.length; i++) {
      if (predicates[i]!(record.key, record.value)) {
        this.context.forward(record, this.childNames[i]);
        return;
      }
    }
    const fallback = this.defaultChild();
    if (fallback !== undefined) this.context.forward(record, fallback);
  }
}
