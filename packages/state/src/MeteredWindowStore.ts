import type { Serde, Windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { CachedStateStore } from './CachedStateStore.js';
import type { CacheFlushListener } from './CacheFlushListener.js';
import { DeserializingIterator } from './internal/DeserializingIterator.js';
import { newStoreMetrics } from './internal/newStoreMetrics.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore, RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import type { StoreMetrics } from './StoreMetrics.js';
import type { WindowStore, WindowStoreEntry } from './WindowStore.js';

/**
 * The typed, outermost layer of a window store: serdes (topic = changelog topic, or the store name when
 * logging is off) and operation counters in {@link metrics}.
 */
export class MeteredWindowStore<K, V>
  implements WindowStore<K, V>, CachedStateStore<Windowed<K>, V>, RestorableStateStore
{
  readonly metrics: StoreMetrics = newStoreMetrics();
  private topic: string;
  /** The last string key serialized and its bytes: an aggregation's fetch and put of one key serialize it once. */
  private lastKey: string | undefined = undefined;
  private lastKeyBytes: Buffer | undefined = undefined;
  private readonly windowedKeyOf = (raw: Windowed<Buffer>): Windowed<K> => ({
    key: this.keySerde.deserialize(this.topic, raw.key),
    window: raw.window,
  });
  private readonly valueOf = (raw: Buffer): V => this.valueSerde.deserialize(this.topic, raw);

  constructor(
    readonly wrapped: BytesWindowStore,
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
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
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

  put(key: K, value: V | null, windowStart: number): void {
    this.metrics.puts++;
    const topic = this.topic;
    this.wrapped.put(
      this.serializeKey(key),
      value === null ? null : this.valueSerde.serialize(topic, value),
      windowStart,
    );
  }

  private serializeKey(key: K): Buffer {
    if (typeof key !== 'string') return this.keySerde.serialize(this.topic, key);
    if (key === this.lastKey) return this.lastKeyBytes!;
    const bytes = this.keySerde.serialize(this.topic, key);
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }

  fetch(key: K, windowStart: number): V | null {
    this.metrics.gets++;
    const raw = this.wrapped.fetch(this.serializeKey(key), windowStart);
    return raw === null ? null : this.valueSerde.deserialize(this.topic, raw);
  }

  fetchRange(key: K, timeFrom: number, timeTo: number): WindowStoreEntry<V>[] {
    this.metrics.scans++;
    const out: WindowStoreEntry<V>[] = [];
    const iterator = this.wrapped.fetchRange(this.keySerde.serialize(this.topic, key), timeFrom, timeTo);
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
    return new DeserializingIterator(inner, this.windowedKeyOf, this.valueOf);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    return new DeserializingIterator(
      this.wrapped.fetchAll(timeFrom, timeTo),
      this.windowedKeyOf,
      this.valueOf,
    );
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    this.metrics.scans++;
    return new DeserializingIterator(this.wrapped.all(), this.windowedKeyOf, this.valueOf);
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.metrics.restored += records.length;
    this.wrapped.restoreBatch(records);
  }
}
