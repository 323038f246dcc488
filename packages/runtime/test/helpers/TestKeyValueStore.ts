import type {
  KeyValue,
  KeyValueIterator,
  KeyValueStore,
  LogConfig,
  StateStoreContext,
  StoreBuilder,
} from '@tributary/state';

function iterate<K, V>(entries: KeyValue<K, V>[]): KeyValueIterator<K, V> {
  const it = entries[Symbol.iterator]();
  return Object.assign(it, { close() {} }) as unknown as KeyValueIterator<K, V>;
}

/**
 * A minimal in-memory key-value store for runtime tests (the state package provides the real ones): string keys
 * in sorted order, optional write-back "cache" that forwards nothing but only becomes visible in `flushed` on flush.
 */
export class TestKeyValueStore<V> implements KeyValueStore<string, V> {
  readonly persistent = false;
  readonly data = new Map<string, V>();
  context: StateStoreContext | undefined;
  flushCount = 0;
  open = false;
  onFlush: (() => void) | undefined;

  constructor(readonly name: string) {}

  init(context: StateStoreContext): void {
    this.context = context;
    this.open = true;
  }
  flush(): void {
    this.flushCount++;
    this.onFlush?.();
  }
  close(): void {
    this.open = false;
  }
  isOpen(): boolean {
    return this.open;
  }
  get(key: string): V | null {
    return this.data.get(key) ?? null;
  }
  put(key: string, value: V | null): void {
    if (value === null) this.data.delete(key);
    else this.data.set(key, value);
    const ctx = this.context;
    if (ctx?.changelogTopic !== undefined) {
      ctx.changelogWriter.send(
        ctx.changelogTopic,
        ctx.changelogPartition,
        Buffer.from(key),
        value === null ? null : Buffer.from(JSON.stringify(value)),
        ctx.currentTimestamp(),
      );
    }
  }
  putIfAbsent(key: string, value: V): V | null {
    const old = this.get(key);
    if (old === null) this.put(key, value);
    return old;
  }
  putAll(entries: readonly KeyValue<string, V | null>[]): void {
    for (const e of entries) this.put(e.key, e.value);
  }
  delete(key: string): V | null {
    const old = this.get(key);
    this.put(key, null);
    return old;
  }
  private sorted(): KeyValue<string, V>[] {
    return [...this.data.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value }));
  }
  range(from: string | undefined, to: string | undefined): KeyValueIterator<string, V> {
    return iterate(
      this.sorted().filter((e) => (from === undefined || e.key >= from) && (to === undefined || e.key <= to)),
    );
  }
  all(): KeyValueIterator<string, V> {
    return iterate(this.sorted());
  }
  prefixScan(prefix: string): KeyValueIterator<string, V> {
    return iterate(this.sorted().filter((e) => e.key.startsWith(prefix)));
  }
  approximateNumEntries(): number {
    return this.data.size;
  }
}

export class TestKeyValueStoreBuilder<V> implements StoreBuilder<TestKeyValueStore<V>> {
  readonly built: TestKeyValueStore<V>[] = [];
  constructor(
    readonly name: string,
    readonly logConfig: LogConfig = { enabled: false, topicConfig: {} },
    readonly cachingEnabled = false,
  ) {}
  withCachingEnabled() {
    return new TestKeyValueStoreBuilder<V>(this.name, this.logConfig, true);
  }
  withCachingDisabled() {
    return new TestKeyValueStoreBuilder<V>(this.name, this.logConfig, false);
  }
  withLoggingEnabled(topicConfig: Readonly<Record<string, string>> = {}) {
    return new TestKeyValueStoreBuilder<V>(this.name, { enabled: true, topicConfig }, this.cachingEnabled);
  }
  withLoggingDisabled() {
    return new TestKeyValueStoreBuilder<V>(
      this.name,
      { enabled: false, topicConfig: {} },
      this.cachingEnabled,
    );
  }
  build(): TestKeyValueStore<V> {
    const store = new TestKeyValueStore<V>(this.name);
    this.built.push(store);
    return store;
  }
}
