import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/** Which join a KTable-KTable join side computes. */
export type TableJoinKind = 'inner' | 'left' | 'outer';

/**
 * One side of a KTable-KTable join: a change of this side's table is joined with the other table's current
 * value (looked up in its store), for the new and the old value, and forwarded as a change of the result:
 *
 * - inner: nothing when the other side is absent; a null value of this side gives a null result;
 * - left join, left side: the right value may be null; nothing when all three are null;
 * - left join, right side: nothing when the left value is absent; else `joiner(left, right-or-null)`;
 * - outer: a result whenever either side is present; nothing when all three are null.
 *
 * The joiner is always called as (left, right). Records with a null key are dropped. The result's timestamp is
 * the larger of the change's and the other side's (as kept in its timestamped store), or the change's when the
 * other side is absent.
 */
export class KTableKTableJoin<K, VThis, VOther, VR> implements Processor<K, Change<VThis>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private other!: TimestampedKeyValueStore<K, VOther>;

  constructor(
    private readonly otherStoreName: string,
    private readonly thisIsLeft: boolean,
    private readonly kind: TableJoinKind,
    private readonly joiner: (left: unknown, right: unknown, key: K) => VR,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    this.other = context.getStateStore<TimestampedKeyValueStore<K, VOther>>(this.otherStoreName);
  }

  process(record: Record<K, Change<VThis>>): void {
    const key = record.key;
    if (key === null || key === undefined) return;
    const change = record.value;
    const otherWithTimestamp = this.other.getWithTimestamp(key);
    const other = otherWithTimestamp === null ? null : otherWithTimestamp.value;
    let newValue: VR | null = null;
    let oldValue: VR | null = null;
    if (this.kind === 'inner') {
      if (other === null) return;
      if (change.newValue !== null) newValue = this.join(change.newValue, other, key);
      if (change.oldValue !== null) oldValue = this.join(change.oldValue, other, key);
    } else if (this.kind === 'left' && !this.thisIsLeft) {
      if (other === null) return;
      newValue = this.join(change.newValue, other, key);
      oldValue = this.join(change.oldValue, other, key);
    } else if (this.kind === 'left') {
      if (other === null && change.newValue === null && change.oldValue === null) return;
      if (change.newValue !== null) newValue = this.join(change.newValue, other, key);
      if (change.oldValue !== null) oldValue = this.join(change.oldValue, other, key);
    } else {
      if (other === null && change.newValue === null && change.oldValue === null) return;
      if (other !== null || change.newValue !== null) newValue = this.join(change.newValue, other, key);
      if (other !== null || change.oldValue !== null) oldValue = this.join(change.oldValue, other, key);
    }
    // Kafka Streams: the larger of this change's timestamp and the other side's, when the other side is present.
    const timestamp =
      otherWithTimestamp === null
        ? record.timestamp
        : Math.max(record.timestamp, otherWithTimestamp.timestamp);
    this.context.forward(new Record(key, { newValue, oldValue }, timestamp, record.headers));
  }

  private join(thisValue: VThis | null, otherValue: VOther | null, key: K): VR {
    return this.thisIsLeft
      ? this.joiner(thisValue, otherValue, key)
      : this.joiner(otherValue, thisValue, key);
  }
}
