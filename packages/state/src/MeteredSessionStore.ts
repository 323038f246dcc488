import type { Serde, Windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { newStoreMetrics } from './internal/newStoreMetrics.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore, RestoreRecord } from './RestorableStateStore.js';
import type { SessionStore } from './SessionStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import type { StoreMetrics } from './StoreMetrics.js';

/**
 * The typed, outermost layer of a session store: serdes (topic = changelog topic, or the store name when
 * logging is off) and operation counters in {@link metrics}.
 */
export class MeteredSessionStore<K, V>
  implements SessionStore<K, V>, CachedStateStore<Windowed<K>, V>, RestorableStateStore
{
  readonly metrics: StoreMetrics = newStoreMetrics();
  private topic: string;
  private readonly windowedKeyOf = (raw: Windowed<Buffer>): Windowed<K> => ({
    key: this.keySerde.deserialize(this.topic, raw.key),
    window: raw.window,
  });
  private readonly valueOf = (raw: Buffer): V => this.valueSerde.deserialize(this.topic, raw);

  constructor(
    readonly wrapped: BytesSessionStore,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    readonly metricsScope: string,
  ) {
    this.topic = wrapped.name;
  }

  get name(): string {
    return this.wrapped.name;
  }
  get persistent(): boolean {
    return this.wrapped.persistent;
  }
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }

  init(context: StateStoreContext): void {
    this.topic = context.changelogTopic ?? this.wrapped.name;
    this.wrapped.init(context);
  }

  isOpen(): boolean {
    return this.wrapped.isOpen();
  }

  flush(): void {
    this.metrics.flushes++;
    this.wrapped.flush();
  }

  close(): void {
    this.wrapped.close();
  }

  setFlushListener(listener: CacheFlushListener<Windowed<K>, V>, sendOldValues: boolean): boolean {
    const wrapped = this.wrapped as Partial<CachedStateStore<Windowed<Buffer>, Buffer>>;
    if (typeof wrapped.setFlushListener !== 'function') return false;
    return wrapped.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(
          this.windowedKeyOf(key),
          newValue === null ? null : this.valueOf(newValue),
          oldValue === null ? null : this.valueOf(oldValue),
          timestamp,
        ),
      sendOldValues,
    );
  }

  put(session: Windowed<K>, value: V | null): void {
    this.metrics.puts++;
    const topic = this.topic;
    this.wrapped.put(
      { key: this.keySerde.serialize(topic, session.key), window: session.window },
      value === null ? null : this.valueSerde.serialize(topic, value),
    );
  }

  remove(session: Windowed<K>): void {
    this.metrics.puts++;
    this.wrapped.remove({ key: this.keySerde.serialize(this.topic, session.key), window: session.window });
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.fetchSession(this.keySerde.serialize(this.topic, key), sessionStart, sessionEnd);
    return raw === null ? null : this.valueSerde.deserialize(this.topic, raw);
  }

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const inner = this.wrapped.findSessions(
      this.keySerde.serialize(this.topic, key),
      earliestSessionEndTime,
      latestSessionStartTime,
    );
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueOf);
  }

  /** Sessions of keys in [keyFrom, keyTo] (undefined = unbounded), as `findSessions`. */
  findSessionsInKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const topic = this.topic;
    const inner = this.wrapped.findSessionsInKeyRange(
      keyFrom === undefined ? undefined : this.keySerde.serialize(topic, keyFrom),
      keyTo === undefined ? undefined : this.keySerde.serialize(topic, keyTo),
      earliestSessionEndTime,
      latestSessionStartTime,
    );
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueOf);
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const inner = this.wrapped.fetch(this.keySerde.serialize(this.topic, key));
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueOf);
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.metrics.restored += records.length;
    this.wrapped.restoreBatch(records);
  }
}
