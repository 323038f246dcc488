import { Record } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';

/**
 * KTable.groupBy, as Kafka Streams' KTableRepartitionMap (KIP-904): maps the old and the new value of each
 * change to (group key, value) pairs; when both land in the same group it forwards one combined
 * `Change(new, old)` (the aggregation subtracts and adds in one update), otherwise the old one as a subtraction
 * `Change(null, old)` to its group, then the new one as an addition `Change(new, null)` to its group. Pairs with a
 * null key or value are skipped. Group keys are the same when `===`, or equal Buffers, or (other objects) equal
 * as JSON.
 */
export class KTableRepartitionMap<K, V, KR, VR> implements Processor<K, Change<V>, KR, Change<VR>> {
  private context!: ProcessorContext<KR, Change<VR>>;

  constructor(private readonly selector: (key: K, value: V) => KeyValue<KR, VR> | null) {}

  init(context: ProcessorContext<KR, Change<VR>>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change } = record;
    const old = change.oldValue === null ? null : this.selector(key, change.oldValue);
    const next = change.newValue === null ? null : this.selector(key, change.newValue);
    const oldPair = isPair(old);
    const nextPair = isPair(next);
    if (oldPair && nextPair && sameKey(old.key, next.key)) {
      this.context.forward(
        new Record(old.key, { newValue: next.value, oldValue: old.value }, record.timestamp, record.headers),
      );
      return;
    }
    if (oldPair) {
      this.context.forward(
        new Record(old.key, { newValue: null, oldValue: old.value }, record.timestamp, record.headers),
      );
    }
    if (nextPair) {
      this.context.forward(
        new Record(next.key, { newValue: next.value, oldValue: null }, record.timestamp, record.headers),
      );
    }
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
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
