import { Record } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** map: a new key and value per record, same timestamp and headers. */
export class KStreamMap<K, V, KR, VR> implements Processor<K, V, KR, VR> {
  private context!: ProcessorContext<KR, VR>;

  constructor(private readonly mapper: (key: K, value: V) => KeyValue<KR, VR>) {}

  init(context: ProcessorContext<KR, VR>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    const out = this.mapper(record.key, record.value);
    this.context.forward(new Record(out.key, out.value, record.timestamp, record.headers));
  }
}
