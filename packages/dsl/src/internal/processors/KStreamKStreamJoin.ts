import { Record } from '@tributary/core';
import type { KeyValueStore, WindowStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { JoinTimeTracker, JoinTimeTrackers } from '../JoinTimeTracker.js';
import type { LeftOrRightValue, TimestampedKeyAndJoinSide } from '../OuterJoinStoreSerdes.js';

/** Time bounds of one side of a stream-stream join. */
export interface JoinSideBounds {
  /** This side looks back `joinBeforeMs` and ahead `joinAfterMs` in the other side's window store. */
  readonly joinBeforeMs: number;
  readonly joinAfterMs: number;
  /** The JoinWindows' own before/after (the same for both sides), for closing outer-join windows. */
  readonly windowsBeforeMs: number;
  readonly windowsAfterMs: number;
  readonly graceMs: number;
}

/**
 * One side of a stream-stream join (Kafka Streams 3.1+ semantics, without spurious left/outer results). Each
 * record joins every record of the other side's window store within the time bounds (timestamp: the larger of
 * the two). When it matches nothing and this side is outer, it waits in the shared outer-join store until its
 * window closes (stream time past its timestamp + window + grace) and is then emitted joined with null — or at
 * once if its window is already past. A record whose timestamp is the stream time first emits every waiting
 * record whose window has closed, in (timestamp, right-before-left, key) order. A match removes the other
 * side's record from the outer-join store. Null keys and values are dropped, except that an outer side joins a
 * null-key record with null at once (KIP-962). The joiner is always called as (left, right).
 */
export class KStreamKStreamJoin<K, VThis, VOther, VR> implements Processor<K, VThis, K, VR> {
  private context!: ProcessorContext<K, VR>;
  private otherStore!: WindowStore<K, VOther>;
  private outerStore:
    | KeyValueStore<TimestampedKeyAndJoinSide<K>, LeftOrRightValue<unknown, unknown>[]>
    | undefined;
  private tracker!: JoinTimeTracker;
  private taskId = '';

  constructor(
    private readonly otherStoreName: string,
    private readonly outerStoreName: string | undefined,
    private readonly thisIsLeft: boolean,
    private readonly outer: boolean,
    private readonly bounds: JoinSideBounds,
    private readonly joiner: (left: unknown, right: unknown, key: K) => VR,
    private readonly trackers: JoinTimeTrackers,
  ) {}

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
    this.otherStore = context.getStateStore<WindowStore<K, VOther>>(this.otherStoreName);
    if (this.outerStoreName !== undefined)
      this.outerStore = context.getStateStore(this.outerStoreName) as never;
    this.taskId = context.taskId.toString();
    this.tracker = this.trackers.get(this.taskId);
  }

  process(record: Record<K, VThis>): void {
    const timestamp = record.timestamp;
    const tracker = this.tracker;
    tracker.advanceStreamTime(timestamp);
    const { key, value } = record;
    const valueIsNull = value === null || value === undefined;
    if (key === null || key === undefined) {
      if (this.outer && !valueIsNull) {
        this.context.forward(new Record(key, this.join(value, null, key), timestamp, record.headers));
      }
      return;
    }
    if (valueIsNull) return;
    const outerStore = this.outerStore;
    if (outerStore !== undefined && timestamp === tracker.streamTime) this.emitNonJoined(outerStore, record);

    const timeFrom = Math.max(0, timestamp - this.bounds.joinBeforeMs);
    const timeTo = Math.max(0, timestamp + this.bounds.joinAfterMs);
    const matches = this.otherStore.fetchRange(key, timeFrom, timeTo);
    for (let i = 0; i < matches.length; i++) {
      const other = matches[i]!;
      if (outerStore !== undefined) {
        const otherKey = { timestamp: other.windowStart, leftSide: !this.thisIsLeft, key };
        if (outerStore.get(otherKey) !== null) outerStore.delete(otherKey);
      }
      this.context.forward(
        new Record(
          key,
          this.join(value, other.value, key),
          Math.max(timestamp, other.windowStart),
          record.headers,
        ),
      );
    }
    if (!this.outer || matches.length > 0) return;
    if (outerStore === undefined || timeTo < tracker.streamTime) {
      this.context.forward(new Record(key, this.join(value, null, key), timestamp, record.headers));
      return;
    }
    tracker.updatedMinTime(timestamp);
    const thisKey = { timestamp, leftSide: this.thisIsLeft, key };
    const entry = this.thisIsLeft ? { left: value, right: null } : { left: null, right: value };
    const waiting = outerStore.get(thisKey);
    outerStore.put(thisKey, waiting === null ? [entry] : [...waiting, entry]);
  }

  close(): void {
    this.trackers.remove(this.taskId);
  }

  private emitNonJoined(
    store: KeyValueStore<TimestampedKeyAndJoinSide<K>, LeftOrRightValue<unknown, unknown>[]>,
    record: Record<K, VThis>,
  ): void {
    const tracker = this.tracker;
    const { joinAfterMs, windowsAfterMs, windowsBeforeMs, graceMs } = this.bounds;
    // Only scan when a waiting record might have closed.
    // With nothing waiting, Kafka's check overflows (Long.MAX_VALUE + after + grace wraps negative), so it goes
    // on to the throttle and an empty scan, which starts the throttle interval: matched here, as the emission
    // times depend on it.
    if (tracker.minTime === Number.MAX_SAFE_INTEGER) {
      if (joinAfterMs + graceMs <= 0) return;
    } else if (tracker.minTime + joinAfterMs + graceMs >= tracker.streamTime) return;
    // Kafka's wall-clock throttle of these scans (outerJoinEmitIntervalMs, default 1000 ms).
    if (!tracker.throttle.tryFromNow(this.context.currentSystemTimeMs())) return;
    tracker.minTime = Number.MAX_SAFE_INTEGER;
    const emitted: TimestampedKeyAndJoinSide<K>[] = [];
    let leftOpen = false;
    let rightOpen = false;
    const iterator = store.all();
    try {
      for (let r = iterator.next(); !r.done; r = iterator.next()) {
        const waitingKey = r.value.key;
        tracker.minTime = waitingKey.timestamp;
        if (leftOpen && rightOpen) break;
        const lookBack = waitingKey.leftSide ? windowsAfterMs : windowsBeforeMs;
        if (tracker.minTime + lookBack + graceMs >= tracker.streamTime) {
          if (waitingKey.leftSide) leftOpen = true;
          else rightOpen = true;
          // Kafka's store hands out the values of one key one at a time: its next value, same timestamp, stops
          // the scan when both sides are now open, leaving minTime at this timestamp.
          if (leftOpen && rightOpen && r.value.value.length > 1) break;
          continue;
        }
        for (const waiting of r.value.value) {
          this.context.forward(
            new Record(
              waitingKey.key,
              this.joiner(waiting.left, waiting.right, waitingKey.key),
              waitingKey.timestamp,
              record.headers,
            ),
          );
        }
        emitted.push(waitingKey);
      }
    } finally {
      iterator.close();
    }
    for (const waitingKey of emitted) store.delete(waitingKey);
  }

  private join(thisValue: VThis | null, otherValue: VOther | null, key: K): VR {
    return this.thisIsLeft
      ? this.joiner(thisValue, otherValue, key)
      : this.joiner(otherValue, thisValue, key);
  }
}
