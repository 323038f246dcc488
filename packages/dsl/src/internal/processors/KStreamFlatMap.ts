import { Record } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** flatMap: zero or more key/value pairs per record, each with the input's timestamp and headers. */
export class KStreamFlatMap<K, V, KR, VR> implements Processor<K, V, KR, VR> {
  private context!: ProcessorContext<KR, VR>;

  constructor(private readonly mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>) {}

  init(context: ProcessorContext<KR, VR>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    for (const out of this.mapper(record.key, record.value)) {
      this.context.forward(new Record(out.key, out.value, record.timestamp, record.headers));
    }
  }
}
