import type { Serde } from '@tributary/core';
import type {
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  LogConfig,
  StateStoreContext,
  StoreBuilder,
} from '@tributary/state';

/**
 * Stand-in until `@tributary/state` ships `Stores`: a Map-backed key-value store ordered by serialized key,
 * without change-logging or caching. Only DSL-created stores use it; swap for `Stores.keyValueStoreBuilder`.
 */
class InterimKeyValueStore<K, V> implements KeyValueStore<K, V> {
  readonly persistent = false;
  private readonly entries = new Map<string, KeyValue<K, V>>();
  private open = false;

  constructor(
    readonly name: string,
    private readonly keySerde: Serde<K>,
  ) {}

  init(_context: StateStoreContext): void {
    this.open = true;
  }
  flush(): void {}
  close(): void {
    this.open = false;
  }
  isOpen(): boolean {
    return this.open;
  }

  private id(key: K): string {
    return this.keySerde.serialize(this.name, key).toString('hex');
  }

  get(key: K): V | null {
    return this.entries.get(this.id(key))?.value ?? null;
  }
  put(key: K, value: V | null): void {
    if (value === null) this.entries.delete(this.id(key));
    else this.entries.set(this.id(key), { key, value });
  }
  putIfAbsent(key: K, value: V): V | null {
    const old = this.get(key);
    if (old === null) this.put(key, value);
    return old;
  }
  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    for (const e of entries) this.put(e.key, e.value);
  }
  delete(key: K): V | null {
    const old = this.get(key);
    this.entries.delete(this.id(key));
    return old;
  }
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    const lo = from === undefined ? undefined : this.id(from);
    const hi = to === undefined ? undefined : this.id(to);
    return this.iterate((id) => (lo === undefined || id >= lo) && (hi === undefined || id <= hi));
  }
  all(): KeyValueIterator<K, V> {
    return this.iterate(() => true);
  }
  prefixScan(prefix: K): KeyValueIterator<K, V> {
    const p = this.id(prefix);
    return this.iterate((id) => id.startsWith(p));
  }
  approximateNumEntries(): number {
    return this.entries.size;
  }

  private iterate(keep: (id: string) => boolean): KeyValueIterator<K, V> {
    const ids = [...this.entries.keys()].filter(keep).sort();
    const items = ids.map((id) => this.entries.get(id)!);
    const inner = items[Symbol.iterator]();
    const it: KeyValueIterator<K, V> = {
      next: () => inner.next(),
      close: () => {},
      [Symbol.iterator]: () => it,
    };
    return it;
  }
}

export class InterimKeyValueStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
  constructor(
    readonly name: string,
    private readonly keySerde: Serde<K>,
    readonly logConfig: LogConfig,
    readonly cachingEnabled: boolean,
  ) {}

  withCachingEnabled(): StoreBuilder<KeyValueStore<K, V>> {
    return new InterimKeyValueStoreBuilder(this.name, this.keySerde, this.logConfig, true);
  }
  withCachingDisabled(): StoreBuilder<KeyValueStore<K, V>> {
    return new InterimKeyValueStoreBuilder(this.name, this.keySerde, this.logConfig, false);
  }
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}): StoreBuilder<KeyValueStore<K, V>> {
    const logConfig = { enabled: true, topicConfig: { ...topicConfig } };
    return new InterimKeyValueStoreBuilder(this.name, this.keySerde, logConfig, this.cachingEnabled);
  }
  withLoggingDisabled(): StoreBuilder<KeyValueStore<K, V>> {
    const logConfig = { enabled: false, topicConfig: {} };
    return new InterimKeyValueStoreBuilder(this.name, this.keySerde, logConfig, this.cachingEnabled);
  }
  build(): KeyValueStore<K, V> {
    return new InterimKeyValueStore(this.name, this.keySerde);
  }
}
