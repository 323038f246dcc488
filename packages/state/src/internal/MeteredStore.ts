import type { Serde, Windowed } from '@tributary/core';
import type { CachedStateStore } from '../CachedStateStore.js';
import type { CacheFlushListener } from '../CacheFlushListener.js';
import type { RestorableStateStore, RestoreRecord } from '../RestorableStateStore.js';
import type { StateStoreContext } from '../StateStoreContext.js';
import type { StoreMetrics } from '../StoreMetrics.js';
import { newStoreMetrics } from './newStoreMetrics.js';
import { WrappedStateStore } from './WrappedStateStore.js';

/**
 * The part every typed, outermost store layer shares: the serdes (topic = the changelog topic, or the store
 * name when logging is off), operation counters in `metrics`, the key serialization memo, and the flush
 * listener of the bytes layers translated to typed keys and values.
 *
 * `RK` is the bytes layers' listener key (`Buffer` or `Windowed<Buffer>`), `LK` the typed one.
 */
export abstract class MeteredStore<W extends RestorableStateStore, RK, K, LK, V>
  extends WrappedStateStore<W>
  implements CachedStateStore<LK, V>
{
  readonly metrics: StoreMetrics = newStoreMetrics();
  protected topic: string;
  /** The last string key serialized and its bytes: an aggregation's read and write of one key serialize it once. */
  private lastKey: string | undefined = undefined;
  private lastKeyBytes: Buffer | undefined = undefined;
  protected readonly keyOf = (raw: Buffer): K => this.keySerde.deserialize(this.topic, raw);
  protected readonly valueFrom = (raw: Buffer): V => this.valueSerde.deserialize(this.topic, raw);
  protected readonly windowedKeyOf = (raw: Windowed<Buffer>): Windowed<K> => ({
    key: this.keySerde.deserialize(this.topic, raw.key),
    window: raw.window,
  });

  constructor(
    wrapped: W,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    /** Metrics scope of the supplier, e.g. `in-memory-state`. */
    readonly metricsScope: string,
  ) {
    super(wrapped);
    this.topic = wrapped.name;
  }

  /** The typed listener key of a bytes listener key. */
  protected abstract listenerKeyOf(raw: RK): LK;

  override init(context: StateStoreContext): void {
    this.topic = context.changelogTopic ?? this.wrapped.name;
    this.lastKey = undefined;
    this.lastKeyBytes = undefined;
    this.wrapped.init(context);
  }

  override flush(): void {
    this.metrics.flushes++;
    this.wrapped.flush();
  }

  setFlushListener(listener: CacheFlushListener<LK, V>, sendOldValues: boolean): boolean {
    const wrapped = this.wrapped as Partial<CachedStateStore<RK, Buffer>>;
    if (typeof wrapped.setFlushListener !== 'function') return false;
    return wrapped.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(
          this.listenerKeyOf(key),
          newValue === null ? null : this.valueFrom(newValue),
          oldValue === null ? null : this.valueFrom(oldValue),
          timestamp,
        ),
      sendOldValues,
    );
  }

  override restoreBatch(records: readonly RestoreRecord[]): void {
    this.metrics.restored += records.length;
    this.wrapped.restoreBatch(records);
  }

  protected serializeKey(key: K): Buffer {
    if (typeof key !== 'string') return this.keySerde.serialize(this.topic, key);
    if (key === this.lastKey) return this.lastKeyBytes!;
    const bytes = this.keySerde.serialize(this.topic, key);
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }

  protected serializeValue(value: V | null): Buffer | null {
    return value === null ? null : this.valueSerde.serialize(this.topic, value);
  }

  protected deserializeValue(raw: Buffer | null): V | null {
    return raw === null ? null : this.valueSerde.deserialize(this.topic, raw);
  }
}
