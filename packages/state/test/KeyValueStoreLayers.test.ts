import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  CachingKeyValueStore,
  ChangeLoggingKeyValueStore,
  InMemoryKeyValueStore,
  InvalidStateStoreError,
  MeteredKeyValueStore,
  Stores,
} from '../src/index.js';
import { b, FakeStateStoreContext, s } from './FakeStateStoreContext.js';

function logged(context: FakeStateStoreContext) {
  return context.changelog.map((r) => `${r.topic}/${r.partition} ${s(r.key)}=${s(r.value)} @${r.timestamp}`);
}

describe('ChangeLoggingKeyValueStore', () => {
  it('sends every write, with the current record timestamp, to the changelog partition of the task', () => {
    const context = new FakeStateStoreContext('app-counts-changelog');
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('counts'));
    store.init(context);
    context.timestamp = 10;
    store.put(b('a'), b('1'));
    context.timestamp = 11;
    expect(store.putIfAbsent(b('a'), b('x'))).not.toBeNull();
    expect(store.putIfAbsent(b('b'), b('2'))).toBeNull();
    context.timestamp = 12;
    store.putAll([
      { key: b('c'), value: b('3') },
      { key: b('a'), value: null },
    ]);
    context.timestamp = 13;
    expect(s(store.delete(b('b')))).toBe('2');
    expect(logged(context)).toEqual([
      'app-counts-changelog/2 a=1 @10',
      'app-counts-changelog/2 b=2 @11',
      'app-counts-changelog/2 c=3 @12',
      'app-counts-changelog/2 a=null @12',
      'app-counts-changelog/2 b=null @13',
    ]);
    expect(s(store.get(b('c')))).toBe('3');
    expect(store.get(b('a'))).toBeNull();
  });

  it('restoreBatch writes to the inner store without logging', () => {
    const context = new FakeStateStoreContext();
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('s'));
    store.init(context);
    store.restoreBatch([{ key: b('a'), value: b('1'), timestamp: 5, offset: 0 }]);
    expect(s(store.get(b('a')))).toBe('1');
    expect(context.changelog).toEqual([]);
  });

  it('refuses to start without a changelog topic', () => {
    const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('s'));
    expect(() => store.init(new FakeStateStoreContext(null))).toThrow(
      /State store 's' has change-logging enabled but task 0_2 gave it no changelog topic/,
    );
  });
});

describe('CachingKeyValueStore', () => {
  function cached(cacheMaxBytes?: number) {
    const context = new FakeStateStoreContext('app-agg-changelog', cacheMaxBytes);
    const inner = new InMemoryKeyValueStore('agg');
    const store = new CachingKeyValueStore(new ChangeLoggingKeyValueStore(inner));
    const flushed: string[] = [];
    store.init(context);
    return { context, inner, store, flushed };
  }

  it('dedups per key until flush, then calls the listener once per key with new and old values', () => {
    const { context, inner, store, flushed } = cached();
    expect(
      store.setFlushListener((k, n, o, t) => flushed.push(`${s(k)}: ${s(o)} -> ${s(n)} @${t}`), true),
    ).toBe(true);
    context.timestamp = 1;
    store.put(b('a'), b('1'));
    context.timestamp = 2;
    store.put(b('b'), b('1'));
    context.timestamp = 3;
    store.put(b('a'), b('2'));
    expect(s(store.get(b('a')))).toBe('2');
    expect(inner.get(b('a'))).toBeNull();
    expect(flushed).toEqual([]);
    expect(context.changelog).toEqual([]);

    context.timestamp = 99;
    store.flush();
    // dirty keys in the order of their last write: b (t=2) then a (t=3)
    expect(flushed).toEqual(['b: null -> 1 @2', 'a: null -> 2 @3']);
    expect(logged(context)).toEqual(['app-agg-changelog/2 b=1 @2', 'app-agg-changelog/2 a=2 @3']);
    expect(s(inner.get(b('a')))).toBe('2');

    context.timestamp = 100;
    store.put(b('a'), b('3'));
    context.timestamp = 101;
    store.put(b('a'), b('4'));
    store.flush();
    store.flush();
    expect(flushed.slice(2)).toEqual(['a: 2 -> 4 @101']);
    expect(logged(context).slice(2)).toEqual(['app-agg-changelog/2 a=4 @101']);
  });

  it('without sendOldValues passes null old values, except it still skips deletes of absent keys', () => {
    const { context, store, flushed } = cached();
    store.setFlushListener((k, n, o) => flushed.push(`${s(k)}: ${s(o)} -> ${s(n)}`), false);
    store.put(b('a'), b('1'));
    store.flush();
    store.put(b('a'), b('2'));
    store.put(b('gone'), b('x'));
    store.delete(b('gone'));
    store.delete(b('a'));
    store.flush();
    expect(flushed).toEqual(['a: null -> 1', 'a: null -> null']);
    expect(logged(context)).toEqual(['app-agg-changelog/2 a=1 @0', 'app-agg-changelog/2 a=null @0']);
    expect(store.get(b('a'))).toBeNull();
    expect(store.get(b('gone'))).toBeNull();
  });

  it('a cached delete hides the stored value in reads and scans before flush', () => {
    const { store } = cached();
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    store.put(b('c'), b('3'));
    store.flush();
    expect(s(store.delete(b('b')))).toBe('2');
    store.put(b('bb'), b('new'));
    store.put(b('c'), b('33'));
    expect(store.get(b('b'))).toBeNull();
    expect([...store.all()].map((kv) => `${s(kv.key)}=${s(kv.value)}`)).toEqual(['a=1', 'bb=new', 'c=33']);
    expect([...store.range(b('b'), b('c'))].map((kv) => s(kv.key))).toEqual(['bb', 'c']);
    expect([...store.prefixScan(b('b'))].map((kv) => s(kv.key))).toEqual(['bb']);
  });

  it('evicts the least recently used entry when over budget, flushing all dirty entries, evicted first', () => {
    const entry = 2 + CachingKeyValueStore.ENTRY_OVERHEAD_BYTES; // 1-byte key + 1-byte value
    const { context, inner, store, flushed } = cached(3 * entry);
    store.setFlushListener((k, n, o) => flushed.push(`${s(k)}: ${s(o)} -> ${s(n)}`), true);
    store.put(b('a'), b('1'));
    store.put(b('b'), b('1'));
    store.put(b('c'), b('1'));
    expect(store.get(b('a'))).not.toBeNull(); // a is now most recently used; b is eldest
    expect(flushed).toEqual([]);
    store.put(b('d'), b('1'));
    expect(flushed).toEqual(['b: null -> 1', 'a: null -> 1', 'c: null -> 1', 'd: null -> 1']);
    expect(logged(context).map((l) => l.split(' ')[1])).toEqual(['b=1', 'a=1', 'c=1', 'd=1']);
    expect(inner.approximateNumEntries()).toBe(4);
    store.flush();
    expect(flushed).toHaveLength(4);
  });

  it('with a zero budget every write is flushed at once', () => {
    const { store, flushed } = cached(0);
    store.setFlushListener((k, n, o) => flushed.push(`${s(k)}: ${s(o)} -> ${s(n)}`), true);
    store.put(b('a'), b('1'));
    store.put(b('a'), b('2'));
    expect(flushed).toEqual(['a: null -> 1', 'a: 1 -> 2']);
  });

  it('close flushes, then refuses use', () => {
    const { store, inner, flushed } = cached();
    store.setFlushListener((k, n) => flushed.push(`${s(k)}=${s(n)}`), false);
    store.put(b('a'), b('1'));
    store.close();
    expect(flushed).toEqual(['a=1']);
    expect(inner.isOpen()).toBe(false);
    expect(() => store.get(b('a'))).toThrow(/State store 'agg' is closed/);
    expect(() => new CachingKeyValueStore(new InMemoryKeyValueStore('x')).get(b('a'))).toThrow(
      InvalidStateStoreError,
    );
  });
});

describe('MeteredKeyValueStore', () => {
  it('serializes with the changelog topic, deserializes scans and counts operations', () => {
    const topics: string[] = [];
    const keySerde = {
      ...Serdes.String(),
      serialize: (topic: string, data: string) => {
        topics.push(topic);
        return Buffer.from(data);
      },
    };
    const store = new MeteredKeyValueStore(
      new InMemoryKeyValueStore('m'),
      keySerde,
      Serdes.Int32(),
      'in-memory-state',
    );
    store.init(new FakeStateStoreContext('app-m-changelog'));
    store.put('b', 2);
    store.put('a', 1);
    store.putAll([
      { key: 'c', value: 3 },
      { key: 'd', value: 4 },
    ]);
    expect(store.putIfAbsent('a', 9)).toBe(1);
    expect(store.get('a')).toBe(1);
    expect(store.get('zz')).toBeNull();
    expect(store.delete('d')).toBe(4);
    expect([...store.all()]).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'c', value: 3 },
    ]);
    expect([...store.range('b', undefined)]).toEqual([
      { key: 'b', value: 2 },
      { key: 'c', value: 3 },
    ]);
    expect(store.metrics).toEqual({ puts: 5, gets: 2, deletes: 1, scans: 2, flushes: 0, restored: 0 });
    expect(new Set(topics)).toEqual(new Set(['app-m-changelog']));
    expect(store.setFlushListener(() => {}, false)).toBe(false);
  });

  it('uses the store name as serde topic when logging is off', () => {
    const topics: string[] = [];
    const serde = {
      ...Serdes.String(),
      serialize: (t: string, d: string) => {
        topics.push(t);
        return Buffer.from(d);
      },
    };
    const store = new MeteredKeyValueStore(
      new InMemoryKeyValueStore('local'),
      serde,
      serde,
      'in-memory-state',
    );
    store.init(new FakeStateStoreContext(null));
    store.put('k', 'v');
    expect(topics).toEqual(['local', 'local']);
  });
});

describe('Stores.keyValueStoreBuilder', () => {
  it('is immutable and builds fresh stores with the requested layers', () => {
    const supplier = Stores.inMemoryKeyValueStore('counts');
    const builder = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Int64());
    expect(builder.name).toBe('counts');
    expect(builder.logConfig).toEqual({ enabled: true, topicConfig: { 'cleanup.policy': 'compact' } });
    expect(builder.cachingEnabled).toBe(false);
    const cachedBuilder = builder.withCachingEnabled().withLoggingEnabled({ 'min.insync.replicas': '2' });
    expect(builder.cachingEnabled).toBe(false);
    expect(cachedBuilder.cachingEnabled).toBe(true);
    expect(cachedBuilder.logConfig.topicConfig).toEqual({
      'cleanup.policy': 'compact',
      'min.insync.replicas': '2',
    });
    expect(builder.withLoggingDisabled().logConfig).toEqual({ enabled: false, topicConfig: {} });

    const one = builder.build();
    const two = builder.build();
    expect(one).not.toBe(two);
    expect(one.wrapped).toBeInstanceOf(ChangeLoggingKeyValueStore);
    expect((one.wrapped as ChangeLoggingKeyValueStore).wrapped).toBeInstanceOf(InMemoryKeyValueStore);
    expect(one.metricsScope).toBe('in-memory-state');
    const full = cachedBuilder.build();
    expect(full.wrapped).toBeInstanceOf(CachingKeyValueStore);
    expect((full.wrapped as CachingKeyValueStore).wrapped).toBeInstanceOf(ChangeLoggingKeyValueStore);
    expect(builder.withLoggingDisabled().withCachingEnabled().build().wrapped).toBeInstanceOf(
      CachingKeyValueStore,
    );
    expect(builder.withLoggingDisabled().build().wrapped).toBeInstanceOf(InMemoryKeyValueStore);
  });

  it('a cached, logged typed store forwards deduplicated typed changes at flush', () => {
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('counts'),
      Serdes.String(),
      Serdes.Int64(),
    )
      .withCachingEnabled()
      .build();
    const context = new FakeStateStoreContext('app-counts-changelog');
    store.init(context);
    const changes: string[] = [];
    expect(store.setFlushListener((k, n, o, t) => changes.push(`${k}: ${o} -> ${n} @${t}`), true)).toBe(true);
    for (const [word, ts] of [
      ['x', 1],
      ['y', 2],
      ['x', 3],
    ] as const) {
      context.timestamp = ts;
      store.put(word, (store.get(word) ?? 0) + 1);
    }
    store.flush();
    expect(changes).toEqual(['y: null -> 1 @2', 'x: null -> 2 @3']);
    expect(context.changelog.map((r) => [s(r.key), r.value?.readBigInt64BE(0), r.timestamp])).toEqual([
      ['y', 1n, 2],
      ['x', 2n, 3],
    ]);
    expect(store.metrics.flushes).toBe(1);
  });

  it('rejects store names that cannot be part of a topic name', () => {
    expect(() => Stores.inMemoryKeyValueStore('my store')).toThrow(/Store name 'my store' is not valid/);
    expect(() => Stores.inMemoryKeyValueStore('')).toThrow(/is not valid/);
  });
});
