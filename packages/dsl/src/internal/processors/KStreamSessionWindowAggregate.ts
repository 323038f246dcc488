import { Record, type Windowed, windowed } from '@tributary/core';
import type { CachedStateStore, KeyValueIterator, SessionStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { SessionWindows } from '../../SessionWindows.js';
import type { Change } from '../Change.js';

/**
 * count / reduce / aggregate over SessionWindows, as Kafka Streams' KStreamSessionWindowAggregate: a record at
 * `t` merges with every session of its key overlapping `[t - gap, t + gap]`; the merged sessions are removed
 * (each forwarded as a tombstone: new value null, old value its aggregate) and the merged session is written
 * and forwarded. Result timestamps are session ends. A record whose merged session ends before the close time
 * `observed stream time - grace - gap` is dropped and counted (Kafka Streams 3.3+).
 *
 * Emit on window close (Kafka Streams 3.3+): nothing is forwarded per record; a session whose end is before the
 * close time (end <= stream time - grace - gap - 1, session ends being inclusive) is forwarded once, with its end
 * as timestamp, in session-end then key order. Closed sessions are emitted before the record updates the store:
 * nothing the record writes is closed, and the store may expire what is.
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
  ) {}

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
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const gap = this.windows.inactivityGapMs;
    const closeTime = this.observedStreamTime - this.windows.graceMs - gap;
    if (this.emitOnClose) this.emitClosedSessions(closeTime, record);
    let start = timestamp;
    let end = timestamp;
    let aggregate = this.initializer();
    let merged: { key: Windowed<K>; value: A }[] | undefined;
    const iterator = this.store.findSessions(key, timestamp - gap, timestamp + gap);
    try {
      for (let r = iterator.next(); !r.done; r = iterator.next()) {
        const session = r.value;
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
    this.store.put(sessionKey, aggregate);
    if (forward) {
      this.context.forward(
        new Record(sessionKey, { newValue: aggregate, oldValue: null }, end, record.headers),
      );
    }
  }

  /** Forwards every session with end in [last close time, close time - 1] (ends are inclusive). */
  private emitClosedSessions(closeTime: number, trigger: Record<K, V>): void {
    if (closeTime <= this.lastEmitCloseTime) return;
    const upper = closeTime - 1;
    const lower = Math.max(0, this.lastEmitCloseTime);
    if (upper >= lower) {
      const store = this.store as unknown as SessionRangeStore<K, A>;
      const iterator = store.findSessionsInKeyRange(undefined, undefined, lower, upper);
      try {
        // Sessions come in end order: stop at the first one still open.
        for (let r = iterator.next(); !r.done && r.value.key.window.end <= upper; r = iterator.next()) {
          const { key, value } = r.value;
          this.context.forward(
            new Record(key, { newValue: value, oldValue: null }, key.window.end, trigger.headers),
          );
        }
      } finally {
        iterator.close();
      }
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
