import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** selectKey / groupBy: a new key per record; value, timestamp and headers kept. */
export class KStreamSelectKey<K, V, KR> implements Processor<K, V, KR, V> {
  private context!: ProcessorContext<KR, V>;

  constructor(private readonly selector: (key: K, value: V) => KR) {}

  init(context: ProcessorContext<KR, V>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    this.context.forward(
      new Record(this.selector(record.key, record.value), record.value, record.timestamp, record.headers),
    );
  }
}
