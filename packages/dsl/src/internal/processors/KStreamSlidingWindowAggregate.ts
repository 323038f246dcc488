import { Record, type Windowed, windowed } from '@tributary/core';
import type { WindowStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { SlidingWindows } from '../../SlidingWindows.js';
import type { Change } from '../Change.js';
import type { EmitThrottle } from '../EmitThrottle.js';
import { forwardWindowedFlushes } from '../forwardWindowedFlushes.js';
import type { ValueAndTimestamp } from '../ValueAndTimestamp.js';

/**
 * count / reduce / aggregate over SlidingWindows, following Kafka Streams' KStreamSlidingWindowAggregate
 * (reverse-iteration variant, the one Kafka uses with its built-in stores): windows `[start, start + d]` (both ends inclusive) exist only where records are.
 * A record updates every stored window containing it, creates its own left window `[t - d, t]` (seeded with the
 * aggregate of the records already in it), the right window of the previous record if it now holds this one,
 * and its own right window `[t + 1, t + 1 + d]` when later records exist. Records with `t < d` share the window
 * `[0, d]`. A record is dropped (and counted) when even its right window is closed
 * (`t + 1 + d <= stream time - grace`); a window is updated while `end >= stream time - grace`.
 */
export class KStreamSlidingWindowAggregate<K, V, A> implements Processor<K, V, Windowed<K>, Change<A>> {
  private context!: ProcessorContext<Windowed<K>, Change<A>>;
  private store!: WindowStore<K, ValueAndTimestamp<A>>;
  private cached = false;
  private observedStreamTime = -1;
  private lastEmitCloseTime = -1;
  /** The latest window start written, Kafka's observed stream time of the window store; -1 = none yet. */
  private storeStreamTime = -1;
  private readonly d: number;

  constructor(
    private readonly storeName: string,
    private readonly windows: SlidingWindows,
    /** Undefined for reduce: a window's first value is its aggregate. */
    private readonly initializer: (() => A) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: A) => A,
    private readonly emitOnClose: boolean,
    /** Whether forwarded changes carry the window's previous aggregate (a downstream operation needs it). */
    private readonly sendOldValues: boolean,
    /** Kafka's retention of the window store: windows starting before its stream time - retention + 1 are gone. */
    private readonly retentionMs: number,
    /** Wall-clock throttle of the emit-on-close checks (Kafka's windowed-aggregation emit interval). */
    private readonly throttle: EmitThrottle,
  ) {
    this.d = windows.timeDifferenceMs;
  }

  init(context: ProcessorContext<Windowed<K>, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<WindowStore<K, ValueAndTimestamp<A>>>(this.storeName);
    if (!this.emitOnClose) this.cached = forwardWindowedFlushes(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    const { key, value, timestamp: t } = record;
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (t > this.observedStreamTime) this.observedStreamTime = t;
    const closeTime = this.observedStreamTime - this.windows.graceMs;
    if (t + 1 + this.d <= closeTime) {
      this.context.recordDropped?.();
      return;
    }
    // As Kafka: an early record (t < d) and a dropped one trigger no emit-on-close check.
    if (t < this.d) {
      this.processEarly(key, value, t, closeTime, record);
      return;
    }
    this.processReverse(key, value, t, closeTime, record);
    if (this.emitOnClose) this.maybeForwardFinalResult(closeTime, record);
  }

  /**
   * As Kafka's processReverse (used whenever the store iterates backwards, as every store does): the windows of
   * the key near `t` are visited from the latest start down, so the updates of one record come out in
   * descending window start; the visit stops at the first window ending before `t` (the previous record's),
   * and a left window that already holds a record at or after `t` leaves nothing to create.
   */
  private processReverse(key: K, value: V, t: number, closeTime: number, record: Record<K, V>): void {
    const d = this.d;
    const starts = new Set<number>();
    let leftWinAgg: ValueAndTimestamp<A> | undefined;
    let rightWinAgg: ValueAndTimestamp<A> | undefined;
    let leftWinAlreadyCreated = false;
    let rightWinAlreadyCreated = false;
    let previousRecordTimestamp: number | undefined;
    const windows = this.store.fetchRange(key, Math.max(0, t - 2 * d), t + 1);
    for (let i = windows.length - 1; i >= 0; i--) {
      const { windowStart: start, value: agg } = windows[i]!;
      starts.add(start);
      const end = start + d;
      if (start === t + 1) {
        rightWinAlreadyCreated = true;
      } else if (end > t) {
        rightWinAgg ??= agg;
        this.update(start, agg, key, value, closeTime, t, record);
      } else if (end === t) {
        leftWinAlreadyCreated = true;
        this.update(start, agg, key, value, closeTime, t, record);
        if (agg.timestamp >= t) return;
        previousRecordTimestamp = agg.timestamp;
      } else {
        leftWinAgg = agg;
        previousRecordTimestamp = agg.timestamp;
        break;
      }
    }
    // The previous record's right window, if this record falls into it.
    if (previousRecordTimestamp !== undefined) {
      const previousRightStart = previousRecordTimestamp + 1;
      if (!starts.has(previousRightStart) && previousRightStart + d >= t) {
        this.update(previousRightStart, undefined, key, value, closeTime, t, record);
      }
    }
    // This record's left window, seeded with the records already in it.
    if (!leftWinAlreadyCreated) {
      const seed =
        previousRecordTimestamp !== undefined && t - d <= previousRecordTimestamp && leftWinAgg !== undefined
          ? { value: leftWinAgg.value, timestamp: t }
          : undefined;
      this.update(t - d, seed, key, value, closeTime, t, record);
    }
    if (!rightWinAlreadyCreated && rightWinAgg !== undefined && rightWinAgg.timestamp > t) {
      this.createRightWindow(t, rightWinAgg, key, record);
    }
  }

  /** Records with t < d: they all go to the window [0, d] instead of windows starting before 0. */
  private processEarly(key: K, value: V, t: number, closeTime: number, record: Record<K, V>): void {
    const starts = new Set<number>();
    let combined: ValueAndTimestamp<A> | undefined;
    let rightWinAgg: ValueAndTimestamp<A> | undefined;
    let rightWinAlreadyCreated = false;
    let previousRecordTimestamp: number | undefined;
    for (const { windowStart: start, value: agg } of this.store.fetchRange(key, 0, t + 1)) {
      starts.add(start);
      if (start === 0) {
        combined = agg;
        if (agg.timestamp < t) previousRecordTimestamp = agg.timestamp;
      } else if (start <= t) {
        rightWinAgg = agg;
        this.update(start, agg, key, value, closeTime, t, record);
      } else {
        rightWinAlreadyCreated = true;
      }
    }
    if (rightWinAgg === undefined && combined !== undefined && combined.timestamp > t) rightWinAgg = combined;
    if (!rightWinAlreadyCreated && rightWinAgg !== undefined && rightWinAgg.timestamp > t) {
      this.createRightWindow(t, rightWinAgg, key, record);
    }
    if (previousRecordTimestamp !== undefined && !starts.has(previousRecordTimestamp + 1)) {
      this.update(previousRecordTimestamp + 1, undefined, key, value, closeTime, t, record);
    }
    this.update(0, combined, key, value, closeTime, t, record);
  }

  /** This record's right window holds the records after it: a copy of `aggregate`, not including this record. */
  private createRightWindow(t: number, aggregate: ValueAndTimestamp<A>, key: K, record: Record<K, V>): void {
    const start = t + 1;
    this.store.put(key, aggregate, start);
    if (start > this.storeStreamTime) this.storeStreamTime = start;
    if (!this.cached && !this.emitOnClose) {
      this.context.forward(
        new Record(
          windowed(key, start, start + this.d),
          { newValue: aggregate.value, oldValue: null },
          aggregate.timestamp,
          record.headers,
        ),
      );
    }
  }

  /** Adds the record to window `start` (`existing` undefined = a new, empty window) unless it is closed. */
  private update(
    start: number,
    existing: ValueAndTimestamp<A> | undefined,
    key: K,
    value: V,
    closeTime: number,
    t: number,
    record: Record<K, V>,
  ): void {
    const end = start + this.d;
    if (end < closeTime) {
      this.context.recordDropped?.();
      return;
    }
    let aggregate: A;
    let newTimestamp = t;
    if (existing === undefined) {
      aggregate =
        this.initializer === undefined
          ? (value as unknown as A)
          : this.aggregator(key, value, this.initializer());
    } else {
      aggregate = this.aggregator(key, value, existing.value);
      if (existing.timestamp > t) newTimestamp = existing.timestamp;
    }
    this.store.put(key, { value: aggregate, timestamp: newTimestamp }, start);
    if (start > this.storeStreamTime) this.storeStreamTime = start;
    if (!this.cached && !this.emitOnClose) {
      this.context.forward(
        new Record(
          windowed(key, start, end),
          {
            newValue: aggregate,
            oldValue: existing === undefined || !this.sendOldValues ? null : existing.value,
          },
          newTimestamp,
          record.headers,
        ),
      );
    }
  }

  /**
   * Emit on close, after the record's updates, as Kafka: when the throttle allows and the close time moved
   * since the last emission, each window with end < close time (sliding windows include their end) not emitted
   * before and still within the store's retention, in (start, key) order.
   */
  private maybeForwardFinalResult(closeTime: number, trigger: Record<K, V>): void {
    if (!this.throttle.tryFromNow(this.context.currentSystemTimeMs())) return;
    const last = this.lastEmitCloseTime;
    if (last !== -1 && last >= closeTime) return;
    const d = this.d;
    const upper = closeTime - d - 1;
    if (upper < 0) return;
    const lower = last === -1 ? 0 : Math.max(0, last - d);
    // Kafka's time-ordered window store (emit on close) keeps starts >= its stream time - retention.
    const from = Math.max(lower, this.storeStreamTime - this.retentionMs);
    if (from <= upper) {
      const iterator = this.store.fetchAll(from, upper);
      try {
        for (let r = iterator.next(); !r.done; r = iterator.next()) {
          const { key, value } = r.value;
          this.context.forward(
            new Record(key, { newValue: value.value, oldValue: null }, value.timestamp, trigger.headers),
          );
        }
      } finally {
        iterator.close();
      }
    }
    this.lastEmitCloseTime = closeTime;
  }
}
