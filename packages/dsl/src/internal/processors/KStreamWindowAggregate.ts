import { Record, type Windowed, windowed } from '@tributary/core';
import type { WindowStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { TimeWindows } from '../../TimeWindows.js';
import type { Change } from '../Change.js';
import { forwardWindowedFlushes } from '../forwardWindowedFlushes.js';
import type { ValueAndTimestamp } from '../ValueAndTimestamp.js';

/**
 * count / reduce / aggregate over TimeWindows, as Kafka Streams' KStreamWindowAggregate: each record updates
 * every window containing it whose end is after `observed stream time - grace`; for the other (closed) windows
 * it is dropped and counted once per window. A window's result carries the largest timestamp of its records.
 *
 * Emit on update: results are forwarded through the store cache's flush listener when the store is cached,
 * else on every update. Emit on window close: nothing is forwarded per record; once stream time reaches a
 * window's end + grace its final result is forwarded exactly once.
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
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<WindowStore<K, ValueAndTimestamp<A>>>(this.storeName);
    if (!this.emitOnClose) this.cached = forwardWindowedFlushes(this.store, context, this.sendOldValues);
  }

  process(record: Record<K, V>): void {
    const { key, value, timestamp } = record;
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const closeTime = this.observedStreamTime - this.windows.graceMs;
    // Emit before updating: nothing this record writes is closed, and the store may expire what is.
    if (this.emitOnClose) this.emitClosedWindows(closeTime, record);
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
      store.put(key, { value: aggregate, timestamp: newTimestamp }, start);
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
  }

  /** Forwards every window with end <= close time not emitted before, in window-start order. */
  private emitClosedWindows(closeTime: number, trigger: Record<K, V>): void {
    if (closeTime <= this.lastEmitCloseTime) return;
    const size = this.windows.sizeMs;
    const upper = closeTime - size; // windows ending at or before closeTime
    if (upper < 0) return;
    const lower = this.lastEmitCloseTime < 0 ? 0 : this.lastEmitCloseTime - size + 1;
    if (upper >= lower) {
      const iterator = this.store.fetchAll(lower, upper);
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
