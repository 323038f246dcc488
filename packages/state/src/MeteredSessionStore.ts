import type { Windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { MeteredStore } from './internal/MeteredStore.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore } from './RestorableStateStore.js';
import type { SessionStore } from './SessionStore.js';

/**
 * The typed, outermost layer of a session store: serdes (topic = changelog topic, or the store name when
 * logging is off) and operation counters in {@link metrics}.
 */
export class MeteredSessionStore<K, V>
  extends MeteredStore<BytesSessionStore, Windowed<Buffer>, K, Windowed<K>, V>
  implements SessionStore<K, V>, CachedStateStore<Windowed<K>, V>, RestorableStateStore
{
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }

  protected listenerKeyOf(raw: Windowed<Buffer>): Windowed<K> {
    return this.windowedKeyOf(raw);
  }

  put(session: Windowed<K>, value: V | null): void {
    this.metrics.puts++;
    this.wrapped.put(
      { key: this.serializeKey(session.key), window: session.window },
      this.serializeValue(value),
    );
  }

  remove(session: Windowed<K>): void {
    this.metrics.puts++;
    this.wrapped.remove({ key: this.serializeKey(session.key), window: session.window });
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.fetchSession(this.serializeKey(key), sessionStart, sessionEnd);
    return this.deserializeValue(raw);
  }

  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const inner = this.wrapped.findSessions(
      this.serializeKey(key),
      earliestSessionEndTime,
      latestSessionStartTime,
    );
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueFrom);
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
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueFrom);
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const inner = this.wrapped.fetch(this.serializeKey(key));
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueFrom);
  }
}
