import { Record, type Windowed, windowed } from '@tributary/core';
import type { WindowStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { TimeWindows } from '../../TimeWindows.js';
import type { Change } from '../Change.js';
import type { EmitThrottle } from '../EmitThrottle.js';
import { forwardWindowedFlushes } from '../forwardWindowedFlushes.js';
import type { ValueAndTimestamp } from '../ValueAndTimestamp.js';

/**
 * count / reduce / aggregate over TimeWindows, as Kafka Streams' KStreamWindowAggregate: each record updates
 * every window containing it whose end is after `observed stream time - grace`; for the other (closed) windows
 * it is dropped and counted once per window. A window's result carries the largest timestamp of its records.
 *
 * Emit on update: results are forwarded through the store cache's flush listener when the store is cached,
 * else on every update. Emit on window close: nothing is forwarded per record; once stream time reaches a
 * window's end + grace its final result is forwarded once, at the first record the wall-clock throttle lets
 * check, unless Kafka's store would have expired it by then (see maybeForwardFinalResult).
 */
export class KStreamWindowAggregate<K, V, A> implements Processor<K, V, Windowed<K>, Change<A>> {
  private context!: ProcessorContext<Windowed<K>, Change<A>>;
  private store!: WindowStore<K, ValueAndTimestamp<A>>;
  private cached = false;
  private observedStreamTime = -1;
  /** Close time of the last final-results emission (emit on close); -1 = none yet. */
  private lastEmitCloseTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    /** Undefined for reduce: the first value of a window is its aggregate. */
    private readonly initializer: (() => A) | undefined,
    private readonly aggregator: (key: K, value: V, aggregate: A) => A,
    private readonly emitOnClose: boolean,
    /** Whether forwarded changes carry the window's previous aggregate (a downstream operation needs it). */
    private readonly sendOldValues: boolean,
    /** Kafka's retention of the window store: windows starting before its stream time - retention + 1 are gone. */
    private readonly retentionMs: number,
    /** Wall-clock throttle of the emit-on-close checks (Kafka's windowed-aggregation emit interval). */
    private readonly throttle: EmitThrottle,
  ) {}

  /** The latest window start written, Kafka's observed stream time of the window store; -1 = none yet. */
  private storeStreamTime = -1;

  init(context: ProcessorContext<Windowed<K>, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<WindowStore<K, ValueAndTimestamp<A>>>(this.storeName);
    if (!this.emitOnClose) this.cached = forwardWindowedFlushes(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    const { key, value, timestamp } = record;
    // As Kafka Streams 4.x: only a null key is dropped; null values reach the aggregator.
    if (key === null || key === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const closeTime = this.observedStreamTime - this.windows.graceMs;
    const { sizeMs, advanceMs } = this.windows;
    const store = this.store;
    for (let start = this.windows.firstWindowStart(timestamp); start <= timestamp; start += advanceMs) {
      const end = start + sizeMs;
      if (end <= closeTime) {
        this.context.recordDropped?.();
        continue;
      }
      const old = store.fetch(key, start);
      let aggregate: A;
      let newTimestamp = timestamp;
      if (old === null) {
        aggregate =
          this.initializer === undefined
            ? (value as unknown as A)
            : this.aggregator(key, value, this.initializer());
      } else {
        aggregate = this.aggregator(key, value, old.value);
        if (old.timestamp > timestamp) newTimestamp = old.timestamp;
      }
      // A null aggregate (reduce of a null first value) deletes the window, as Kafka's ValueAndTimestamp.make(null).
      store.put(key, aggregate === null ? null : { value: aggregate, timestamp: newTimestamp }, start);
      if (start > this.storeStreamTime) this.storeStreamTime = start;
      if (!this.cached && !this.emitOnClose) {
        this.context.forward(
          new Record(
            windowed(key, start, end),
            { newValue: aggregate, oldValue: old === null || !this.sendOldValues ? null : old.value },
            newTimestamp,
            record.headers,
          ),
        );
      }
    }
    if (this.emitOnClose) this.maybeForwardFinalResult(closeTime, record);
  }

  /**
   * Emit on close, after the record's updates, as Kafka: when the throttle allows and the close time moved
   * since the last emission, every window with end <= close time not emitted before and still within the
   * store's retention, in (start, key) order. A range with no new window start leaves the last close time.
   */
  private maybeForwardFinalResult(closeTime: number, trigger: Record<K, V>): void {
    if (!this.throttle.tryFromNow(this.context.currentSystemTimeMs())) return;
    const last = this.lastEmitCloseTime;
    if (last !== -1 && last >= closeTime) return;
    const size = this.windows.sizeMs;
    const upper = closeTime - size;
    if (upper < 0) return;
    const lower = last === -1 ? 0 : Math.max(0, last - size) + 1;
    if (
      last !== -1 &&
      sameStarts(this.windows.windowStartsFor(upper), this.windows.windowStartsFor(lower - 1))
    ) {
      return;
    }
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

function sameStarts(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
