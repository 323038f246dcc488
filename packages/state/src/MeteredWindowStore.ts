import type { Windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { MeteredStore } from './internal/MeteredStore.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore } from './RestorableStateStore.js';
import type { WindowStore, WindowStoreEntry } from './WindowStore.js';

/**
 * The typed, outermost layer of a window store: serdes (topic = changelog topic, or the store name when
 * logging is off) and operation counters in {@link metrics}.
 */
export class MeteredWindowStore<K, V>
  extends MeteredStore<BytesWindowStore, Windowed<Buffer>, K, Windowed<K>, V>
  implements WindowStore<K, V>, CachedStateStore<Windowed<K>, V>, RestorableStateStore
{
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }

  protected listenerKeyOf(raw: Windowed<Buffer>): Windowed<K> {
    return this.windowedKeyOf(raw);
  }

  put(key: K, value: V | null, windowStart: number): void {
    this.metrics.puts++;
    this.wrapped.put(this.serializeKey(key), this.serializeValue(value), windowStart);
  }

  fetch(key: K, windowStart: number): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.fetch(this.serializeKey(key), windowStart);
    return this.deserializeValue(raw);
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreEntry<V>[] {
    this.metrics.scans++;
    const out: WindowStoreEntry<V>[] = [];
    const iterator = this.wrapped.fetchRange(this.serializeKey(key), timeFrom, timeTo);
    for (let r = iterator.next(); !r.done; r = iterator.next()) {
      out.push({ windowStart: r.value.key, value: this.valueSerde.deserialize(this.topic, r.value.value) });
    }
    return out;
  }

  fetchKeyRange(
    keyFrom: K | undefined,
    keyTo: K | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    const topic = this.topic;
    const inner = this.wrapped.fetchKeyRange(
      keyFrom === undefined ? undefined : this.keySerde.serialize(topic, keyFrom),
      keyTo === undefined ? undefined : this.keySerde.serialize(topic, keyTo),
      timeFrom,
      timeTo,
    );
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueFrom);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    return new DeserializingIterator(
      this.wrapped.fetchAll(timeFrom, timeTo),
      this.windowedKeyOf,
      this.valueFrom,
    );
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    return new DeserializingIterator(this.wrapped.all(), this.windowedKeyOf, this.valueFrom);
  }
}
