import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';

/** KTable.toStream(): forwards each change's new value (null for a deletion). */
export class KTableToStream<K, V> implements Processor<K, Change<V>, K, V | null> {
  private context!: ProcessorContext<K, V | null>;

  init(context: ProcessorContext<K, V | null>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    this.context.forward(new Record(record.key, record.value.newValue, record.timestamp, record.headers));
  }
}
