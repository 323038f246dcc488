import { Record, type Windowed, windowed } from '@tributary/core';
import type { CachedStateStore, SessionStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { SessionWindows } from '../../SessionWindows.js';
import type { Change } from '../Change.js';

/**
 * count / reduce / aggregate over SessionWindows, as Kafka Streams' KStreamSessionWindowAggregate: a record at
 * `t` merges with every session of its key overlapping `[t - gap, t + gap]`; the merged sessions are removed
 * (each forwarded as a tombstone: new value null, old value its aggregate) and the merged session is written
 * and forwarded. Result timestamps are session ends. A record whose merged session ends before
 * `observed stream time - grace` is dropped and counted.
 */
export class KStreamSessionWindowAggregate<K, V, A> implements Processor<K, V, Windowed<K>, Change<A>> {
  private context!: ProcessorContext<Windowed<K>, Change<A>>;
  private store!: SessionStore<K, A>;
  private cached = false;
  private observedStreamTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: SessionWindows,
    /** Returns null for reduce: a session's first value is its aggregate. */
    private readonly initializer: () => A | null,
    private readonly aggregator: (key: K, value: V, aggregate: A | null) => A,
    private readonly merger: (key: K, aggregate1: A | null, aggregate2: A) => A,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<SessionStore<K, A>>(this.storeName);
    const cachedStore = this.store as Partial<CachedStateStore<Windowed<K>, A>>;
    this.cached =
      cachedStore.setFlushListener?.((key, newValue, oldValue) => {
        context.forward(new Record(key, { newValue, oldValue }, key.window.end));
      }, true) ?? false;
  }

  process(record: Record<K, V>): void {
    const { key, value, timestamp } = record;
    if (key === null || key === undefined || value === null || value === undefined) {
      this.context.recordDropped?.();
      return;
    }
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const closeTime = this.observedStreamTime - this.windows.graceMs;
    const gap = this.windows.inactivityGapMs;
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
    const forward = !this.cached;
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
}
