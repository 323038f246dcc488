import { type Serde, Serdes, type Windowed } from '@tributary/core';
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
  protected readonly keyOf = (raw: Buffer): K => this.deserializeKey(raw);
  protected readonly valueFrom = (raw: Buffer): V => this.valueSerde.deserialize(this.topic, raw);
  protected readonly windowedKeyOf = (raw: Windowed<Buffer>): Windowed<K> => ({
    key: this.deserializeKey(raw.key),
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

  /**
   * The typed key of key bytes. With the String serde, bytes equal to those of the last key serialized give
   * that key back without decoding (a cache flush passes on the key the aggregation just wrote): UTF-8 round
   * trips every string without lone surrogates exactly, and a key with any surrogate is decoded as usual.
   */
  protected deserializeKey(raw: Buffer): K {
    const last = this.lastKey;
    if (last !== undefined && this.keySerde === STRING_SERDE && sameBytes(raw, this.lastKeyBytes!)) {
      if (!hasSurrogate(last)) return last as K;
    }
    return this.keySerde.deserialize(this.topic, raw);
  }

  protected serializeValue(value: V | null): Buffer | null {
    return value === null ? null : this.valueSerde.serialize(this.topic, value);
  }

  protected deserializeValue(raw: Buffer | null): V | null {
    return raw === null ? null : this.valueSerde.deserialize(this.topic, raw);
  }
}

const STRING_SERDE = Serdes.String() as Serde<unknown>;

/** Whether two short buffers hold the same bytes (longer ones are not compared: false). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  const length = a.length;
  if (length !== b.length || length > 64) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return true;
  }
  return false;
}
