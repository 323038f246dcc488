import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/** mapValues: a new value per record; key, timestamp and headers kept. */
export class KStreamMapValues<K, V, VR> implements Processor<K, V, K, VR> {
  private context!: ProcessorContext<K, VR>;

  constructor(private readonly mapper: (value: V, key: K) => VR) {}

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
  }

  process(record: Record<K, V>): void {
    this.context.forward(
      new Record(record.key, this.mapper(record.value, record.key), record.timestamp, record.headers),
    );
  }
}
