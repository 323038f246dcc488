import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** flatMapValues: zero or more values per record, each with the input's key, timestamp and headers. */
export class KStreamFlatMapValues<K, V, VR> implements Processor<K, V, K, VR> {
  private context!: ProcessorContext<K, VR>;

  constructor(private readonly mapper: (value: V, key: K) => Iterable<VR>) {}

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    for (const value of this.mapper(record.value, record.key)) {
      this.context.forward(new Record(record.key, value, record.timestamp, record.headers));
    }
  }
}
