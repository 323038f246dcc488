import { Record, type Windowed, windowed } from '@tributary/core';
import type { CachedStateStore, KeyValueIterator, SessionStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { SessionWindows } from '../../SessionWindows.js';
import type { Change } from '../Change.js';
import type { EmitThrottle } from '../EmitThrottle.js';

/**
 * count / reduce / aggregate over SessionWindows, as Kafka Streams' KStreamSessionWindowAggregate: a record at
 * `t` merges with every session of its key overlapping `[t - gap, t + gap]`; the merged sessions are removed
 * (each forwarded as a tombstone: new value null, old value its aggregate) and the merged session is written
 * and forwarded. Result timestamps are session ends. A record whose merged session ends before the close time
 * `observed stream time - grace - gap` is dropped and counted (Kafka Streams 3.3+).
 *
 * Emit on window close (Kafka Streams 3.3+): nothing is forwarded per record; after each record (when the
 * wall-clock throttle lets it check) every session whose end is before the close time is forwarded once, with its end as timestamp, in (end, start, key) order.
 */
export class KStreamSessionWindowAggregate<K, V, A> implements Processor<K, V, Windowed<K>, Change<A>> {
  private context!: ProcessorContext<Windowed<K>, Change<A>>;
  private store!: SessionStore<K, A>;
  private cached = false;
  private observedStreamTime = -1;
  /** Close time of the last final-results emission (emit on close); -1 = none yet. */
  private lastEmitCloseTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: SessionWindows,
    /** Returns null for reduce: a session's first value is its aggregate. */
    private readonly initializer: () => A | null,
    private readonly aggregator: (key: K, value: V, aggregate: A | null) => A,
    private readonly merger: (key: K, aggregate1: A | null, aggregate2: A) => A,
    private readonly emitOnClose: boolean,
    /** Whether forwarded changes carry a session's previous aggregate (a downstream operation needs it). */
    private readonly sendOldValues: boolean,
    /**
     * Kafka's retention of the session store (Materialized, else gap + grace): sessions ending before the
     * store's stream time (the latest session end written) - retention + 1 are no longer seen, as Kafka's
     * store no longer returns them, whatever our store still holds.
     */
    private readonly retentionMs: number,
    /** Segment interval of Kafka's time-ordered session store, which emit on close reads. */
    private readonly segmentIntervalMs: number,
    /** Wall-clock throttle of the emit-on-close checks (Kafka's windowed-aggregation emit interval). */
    private readonly throttle: EmitThrottle,
  ) {}

  /** The latest session end written, Kafka's observed stream time of the session store; -1 = none yet. */
  private storeStreamTime = -1;

  init(context: ProcessorContext<Windowed<K>, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<SessionStore<K, A>>(this.storeName);
    if (this.emitOnClose) return;
    const cachedStore = this.store as Partial<CachedStateStore<Windowed<K>, A>>;
    this.cached =
      cachedStore.setFlushListener?.((key, newValue, oldValue) => {
        context.forward(new Record(key, { newValue, oldValue }, key.window.end));
      }, this.sendOldValues) ?? false;
  }

  process(record: Record<K, V>): void {
    const { key, value, timestamp } = record;
    // As Kafka Streams 4.x: only a null key is dropped; null values reach the aggregator.
    if (key === null || key === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const gap = this.windows.inactivityGapMs;
    const closeTime = this.observedStreamTime - this.windows.graceMs - gap;
    let start = timestamp;
    let end = timestamp;
    let aggregate = this.initializer();
    let merged: { key: Windowed<K>; value: A }[] | undefined;
    const iterator = this.store.findSessions(key, timestamp - gap, timestamp + gap);
    try {
      const minEnd = this.storeStreamTime - this.retentionMs + 1;
      for (let r = iterator.next(); !r.done; r = iterator.next()) {
        const session = r.value;
        if (session.key.window.end < minEnd) continue;
        if (merged === undefined) merged = [session];
        else merged.push(session);
        aggregate = this.merger(key, aggregate, session.value);
        if (session.key.window.start < start) start = session.key.window.start;
        if (session.key.window.end > end) end = session.key.window.end;
      }
    } finally {
      iterator.close();
    }
    if (end < closeTime) {
      this.context.recordDropped?.();
      if (this.emitOnClose) this.maybeForwardFinalResult(closeTime, record);
      return;
    }
    const forward = !this.cached && !this.emitOnClose;
    if (merged !== undefined && (start !== timestamp || end !== timestamp)) {
      for (const session of merged) {
        this.store.remove(session.key);
        if (forward) {
          this.context.forward(
            new Record(
              session.key,
              { newValue: null, oldValue: session.value },
              session.key.window.end,
              record.headers,
            ),
          );
        }
      }
    }
    aggregate = this.aggregator(key, value, aggregate);
    const sessionKey = windowed(key, start, end);
    // A null aggregate (reduce of a null first value) writes nothing, as Kafka's session store put(null).
    if (aggregate === null) this.store.remove(sessionKey);
    else this.store.put(sessionKey, aggregate);
    if (end > this.storeStreamTime) this.storeStreamTime = end;
    if (forward) {
      this.context.forward(
        new Record(sessionKey, { newValue: aggregate, oldValue: null }, end, record.headers),
      );
    }
    if (this.emitOnClose) this.maybeForwardFinalResult(closeTime, record);
  }

  /**
   * Emit on close, after the record's update, as Kafka: when the throttle allows and the close time moved since
   * the last emission, every session with end in [last close time, close time - 1] (ends are inclusive), in
   * (end, start, key) order, each with its end as timestamp.
   */
  private maybeForwardFinalResult(closeTime: number, trigger: Record<K, V>): void {
    if (!this.throttle.tryFromNow(this.context.currentSystemTimeMs())) return;
    const last = this.lastEmitCloseTime;
    if (last !== -1 && last >= closeTime) return;
    const upper = closeTime - 1;
    if (upper < 0) return;
    const lower = Math.max(0, last);
    if (upper < lower) return;
    // Kafka's time-ordered session store filters this scan by segment only (60 s at least), not by retention.
    const from = lower;
    const closed: { key: Windowed<K>; value: A }[] = [];
    if (from <= upper) {
      const store = this.store as unknown as SessionRangeStore<K, A>;
      const iterator = store.findSessionsInKeyRange(undefined, undefined, from, upper);
      try {
        // Sessions come in (end, key) order: stop at the first one still open.
        // Kafka's store holds the segments from that of its stream time - retention on (Java's integer division).
        const interval = this.segmentIntervalMs;
        const minLiveSegment = Math.trunc((this.storeStreamTime - this.retentionMs) / interval);
        for (let r = iterator.next(); !r.done && r.value.key.window.end <= upper; r = iterator.next()) {
          if (Math.trunc(r.value.key.window.end / interval) >= minLiveSegment) closed.push(r.value);
        }
      } finally {
        iterator.close();
      }
    }
    // Kafka's time-ordered session store orders by end, then start, then key: a stable sort by (end, start).
    closed.sort((a, b) => a.key.window.end - b.key.window.end || a.key.window.start - b.key.window.start);
    for (const { key, value } of closed) {
      this.context.forward(
        new Record(key, { newValue: value, oldValue: null }, key.window.end, trigger.headers),
      );
    }
    this.lastEmitCloseTime = closeTime;
  }
}

/** The DSL's session stores (`MeteredSessionStore`) also scan all keys by session end. */
interface SessionRangeStore<K, A> {
  findSessionsInKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, A>;
}
