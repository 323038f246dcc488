import { Record } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';

/**
 * KTable.groupBy: maps the old and the new value of each change to (group key, value) pairs and forwards the
 * old one as a subtraction `Change(null, old)` to its group, then the new one as an addition `Change(new, null)`
 * to its group, as Kafka Streams' KTableRepartitionMap does; pairs with a null key or value are skipped.
 */
export class KTableRepartitionMap<K, V, KR, VR> implements Processor<K, Change<V>, KR, Change<VR>> {
  private context!: ProcessorContext<KR, Change<VR>>;

  constructor(private readonly selector: (key: K, value: V) => KeyValue<KR, VR> | null) {}

  init(context: ProcessorContext<KR, Change<VR>>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change } = record;
    if (change.oldValue !== null) {
      const old = this.selector(key, change.oldValue);
      if (isPair(old)) {
        this.context.forward(
          new Record(old.key, { newValue: null, oldValue: old.value }, record.timestamp, record.headers),
        );
      }
    }
    if (change.newValue !== null) {
      const next = this.selector(key, change.newValue);
      if (isPair(next)) {
        this.context.forward(
          new Record(next.key, { newValue: next.value, oldValue: null }, record.timestamp, record.headers),
        );
      }
    }
  }
}

function isPair<K, V>(pair: KeyValue<K, V> | null | undefined): pair is KeyValue<K, V> {
  return (
    pair !== null &&
    pair !== undefined &&
    pair.key !== null &&
    pair.key !== undefined &&
    pair.value !== null &&
    pair.value !== undefined
  );
}
