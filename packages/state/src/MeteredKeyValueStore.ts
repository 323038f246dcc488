import type { Serde } from '@tributary/core';
import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { newStoreMetrics } from './internal/newStoreMetrics.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { KeyValueStore } from './KeyValueStore.js';
import type { RestorableStateStore, RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import type { StoreMetrics } from './StoreMetrics.js';

/**
 * The typed, outermost layer of a key-value store: serializes keys and values with the store's serdes (the
 * topic given to the serdes is the changelog topic, or the store name when logging is off) and counts
 * operations in {@link metrics}.
 */
export class MeteredKeyValueStore<K, V>
  implements KeyValueStore<K, V>, CachedStateStore<K, V>, RestorableStateStore
{
  readonly metrics: StoreMetrics = newStoreMetrics();
  private topic: string;
  /** The last string key serialized and its bytes: an aggregation's get and put of one key serialize it once. */
  private lastKey: string | undefined = undefined;
  private lastKeyBytes: Buffer | undefined = undefined;
  private readonly keyOf = (raw: Buffer): K => this.keySerde.deserialize(this.topic, raw);
  private readonly valueOf = (raw: Buffer): V => this.valueSerde.deserialize(this.topic, raw);

  constructor(
    readonly wrapped: BytesKeyValueStore,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    /** Metrics scope of the supplier, e.g. `in-memory-state`. */
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

  init(context: StateStoreContext): void {
    this.topic = context.changelogTopic ?? this.wrapped.name;
    this.lastKey = undefined;
    this.lastKeyBytes = undefined;
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

  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean {
    const wrapped = this.wrapped as Partial<CachedStateStore<Buffer, Buffer>>;
    if (typeof wrapped.setFlushListener !== 'function') return false;
    return wrapped.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(
          this.keyOf(key),
          newValue === null ? null : this.valueOf(newValue),
          oldValue === null ? null : this.valueOf(oldValue),
          timestamp,
        ),
      sendOldValues,
    );
  }

  get(key: K): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.get(this.serializeKey(key));
    return raw === null ? null : this.valueSerde.deserialize(this.topic, raw);
  }

  put(key: K, value: V | null): void {
    this.metrics.puts++;
    const topic = this.topic;
    this.wrapped.put(this.serializeKey(key), value === null ? null : this.valueSerde.serialize(topic, value));
  }

  private serializeKey(key: K): Buffer {
    if (typeof key !== 'string') return this.keySerde.serialize(this.topic, key);
    if (key === this.lastKey) return this.lastKeyBytes!;
    const bytes = this.keySerde.serialize(this.topic, key);
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }

  putIfAbsent(key: K, value: V): V | null {
    this.metrics.puts++;
    const topic = this.topic;
    const previous = this.wrapped.putIfAbsent(
      this.keySerde.serialize(topic, key),
      this.valueSerde.serialize(topic, value),
    );
    return previous === null ? null : this.valueSerde.deserialize(topic, previous);
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
    const previous = this.wrapped.delete(this.keySerde.serialize(this.topic, key));
    return previous === null ? null : this.valueSerde.deserialize(this.topic, previous);
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    this.metrics.scans++;
    const topic = this.topic;
    const inner = this.wrapped.range(
      from === undefined ? undefined : this.keySerde.serialize(topic, from),
      to === undefined ? undefined : this.keySerde.serialize(topic, to),
    );
    return new DeserializingIterator(inner, this.keyOf, this.valueOf);
  }

  all(): KeyValueIterator<K, V> {
    this.metrics.scans++;
    return new DeserializingIterator(this.wrapped.all(), this.keyOf, this.valueOf);
  }

  prefixScan(prefix: K): KeyValueIterator<K, V> {
    this.metrics.scans++;
    const inner = this.wrapped.prefixScan(this.keySerde.serialize(this.topic, prefix));
    return new DeserializingIterator(inner, this.keyOf, this.valueOf);
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.metrics.restored += records.length;
    this.wrapped.restoreBatch(records);
  }
}
