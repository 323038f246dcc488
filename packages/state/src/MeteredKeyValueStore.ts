import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { MeteredStore } from './internal/MeteredStore.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { KeyValueStore } from './KeyValueStore.js';
import type { RestorableStateStore } from './RestorableStateStore.js';

/**
 * The typed, outermost layer of a key-value store: serializes keys and values with the store's serdes (the
 * topic given to the serdes is the changelog topic, or the store name when logging is off) and counts
 * operations in {@link metrics}.
 */
export class MeteredKeyValueStore<K, V>
  extends MeteredStore<BytesKeyValueStore, Buffer, K, K, V>
  implements KeyValueStore<K, V>, CachedStateStore<K, V>, RestorableStateStore
{
  protected listenerKeyOf(raw: Buffer): K {
    return this.keyOf(raw);
  }

  get(key: K): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.get(this.serializeKey(key));
    return this.deserializeValue(raw);
  }

  put(key: K, value: V | null): void {
    this.metrics.puts++;
    this.wrapped.put(this.serializeKey(key), this.serializeValue(value));
  }

  putIfAbsent(key: K, value: V): V | null {
    this.metrics.puts++;
    const topic = this.topic;
    const previous = this.wrapped.putIfAbsent(
      this.keySerde.serialize(topic, key),
      this.valueSerde.serialize(topic, value),
    );
    return this.deserializeValue(previous);
  }

  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    this.metrics.puts += entries.length;
    const topic = this.topic;
    const raw: KeyValue<Buffer, Buffer | null>[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      raw[i] = {
        key: this.keySerde.serialize(topic, entry.key),
        value: entry.value === null ? null : this.valueSerde.serialize(topic, entry.value),
      };
    }
    this.wrapped.putAll(raw);
  }

  delete(key: K): V | null {
    this.metrics.deletes++;
    const previous = this.wrapped.delete(this.serializeKey(key));
    return this.deserializeValue(previous);
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    this.metrics.scans++;
    const topic = this.topic;
    const inner = this.wrapped.range(
      from === undefined ? undefined : this.keySerde.serialize(topic, from),
      to === undefined ? undefined : this.keySerde.serialize(topic, to),
    );
    return new DeserializingIterator(inner, this.keyOf, this.valueFrom);
  }

  all(): KeyValueIterator<K, V> {
    this.metrics.scans++;
    return new DeserializingIterator(this.wrapped.all(), this.keyOf, this.valueFrom);
  }

  prefixScan(prefix: K): KeyValueIterator<K, V> {
    this.metrics.scans++;
    const inner = this.wrapped.prefixScan(this.keySerde.serialize(this.topic, prefix));
    return new DeserializingIterator(inner, this.keyOf, this.valueFrom);
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }
}
