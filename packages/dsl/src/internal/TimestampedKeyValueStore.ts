import type {
  CachedStateStore,
  CacheFlushListener,
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  RestorableStateStore,
  RestoreRecord,
  StateStoreContext,
} from '@tributary/state';
import type { ValueAndTimestamp } from './ValueAndTimestamp.js';

/**
 * A DSL table's key-value store, as Kafka Streams' TimestampedKeyValueStore: every value is kept with the
 * timestamp of the result it belongs to (`internal/ValueAndTimestamp`, Kafka's byte layout, in the changelog
 * too). DSL processors read and write both with {@link getWithTimestamp} / {@link putWithTimestamp}; everyone
 * else (interactive queries, the test driver, user processors) sees a plain `KeyValueStore<K, V>`, whose `put`
 * stamps the value with the timestamp of the record being processed.
 */
export class TimestampedKeyValueStore<K, V>
  implements KeyValueStore<K, V>, CachedStateStore<K, V>, RestorableStateStore
{
  private context: StateStoreContext | undefined;

  constructor(readonly inner: KeyValueStore<K, ValueAndTimestamp<V>>) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext): void {
    this.context = context;
    this.inner.init(context);
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  getWithTimestamp(key: K): ValueAndTimestamp<V> | null {
    return this.inner.get(key);
  }

  /** A null value deletes. */
  putWithTimestamp(key: K, value: V | null, timestamp: number): void {
    this.inner.put(key, value === null ? null : { value, timestamp });
  }

  get(key: K): V | null {
    const found = this.inner.get(key);
    return found === null ? null : found.value;
  }

  put(key: K, value: V | null): void {
    this.putWithTimestamp(key, value, this.currentTimestamp());
  }

  putIfAbsent(key: K, value: V): V | null {
    const found = this.inner.putIfAbsent(key, { value, timestamp: this.currentTimestamp() });
    return found === null ? null : found.value;
  }

  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    const timestamp = this.currentTimestamp();
    this.inner.putAll(
      entries.map(({ key, value }) => ({ key, value: value === null ? null : { value, timestamp } })),
    );
  }

  delete(key: K): V | null {
    const found = this.inner.delete(key);
    return found === null ? null : found.value;
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return valuesOf(this.inner.range(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return valuesOf(this.inner.all());
  }

  prefixScan(prefix: K): KeyValueIterator<K, V> {
    return valuesOf(this.inner.prefixScan(prefix));
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /** The listener gets plain values and the timestamp kept with the new value (else the cache's). */
  setFlushListener(listener: CacheFlushListener<K, V>, sendOldValues: boolean): boolean {
    const inner = this.inner as Partial<CachedStateStore<K, ValueAndTimestamp<V>>>;
    if (typeof inner.setFlushListener !== 'function') return false;
    return inner.setFlushListener(
      (key, newValue, oldValue, timestamp) =>
        listener(key, newValue?.value ?? null, oldValue?.value ?? null, newValue?.timestamp ?? timestamp),
      sendOldValues,
    );
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    (this.inner as unknown as RestorableStateStore).restoreBatch(records);
  }

  committedOffset(): number | undefined {
    return this.inner.committedOffset?.();
  }

  commit(changelogOffset: number | undefined): void {
    this.inner.commit?.(changelogOffset);
  }

  uncommittedBytes(): number {
    return this.inner.uncommittedBytes?.() ?? 0;
  }

  private currentTimestamp(): number {
    return this.context?.currentTimestamp() ?? -1;
  }
}

function valuesOf<K, V>(iterator: KeyValueIterator<K, ValueAndTimestamp<V>>): KeyValueIterator<K, V> {
  const mapped: KeyValueIterator<K, V> = {
    next(): IteratorResult<KeyValue<K, V>> {
      const r = iterator.next();
      return r.done ? r : { done: false, value: { key: r.value.key, value: r.value.value.value } };
    },
    close(): void {
      iterator.close();
    },
    [Symbol.iterator]() {
      return mapped;
    },
  };
  return mapped;
}
