import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  CachingKeyValueStore,
  CachingWindowStore,
  ChangeLoggingKeyValueStore,
  ChangeLoggingWindowStore,
  InMemoryKeyValueStore,
  InMemoryWindowStore,
  MeteredWindowStore,
} from '../src/index.js';
import { b, FakeStateStoreContext, s } from './FakeStateStoreContext.js';

/** The cache updates entries in place: nothing a reader got may change, and flush order and values stay exact. */
describe('cache entries updated in place', () => {
  function kvCache(cacheMaxBytes?: number) {
    const context = new FakeStateStoreContext('app-kv-changelog', cacheMaxBytes);
    const store = new CachingKeyValueStore(new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv')));
    store.init(context);
    return { context, store };
  }

  it('entries returned by a scan keep the value they had when returned', () => {
    const { store } = kvCache();
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    const scanned = [...store.all()];
    store.put(b('a'), b('3'));
    store.flush();
    store.put(b('b'), b('4'));
    expect(scanned.map((kv) => `${s(kv.key)}=${s(kv.value)}`)).toEqual(['a=1', 'b=2']);
    expect([...store.all()].map((kv) => `${s(kv.key)}=${s(kv.value)}`)).toEqual(['a=3', 'b=4']);
  });

  it('dirty order is the order of the last write, also when a clean entry is written again', () => {
    const { context, store } = kvCache();
    const flushed: string[] = [];
    store.setFlushListener((k, n, o, t) => flushed.push(`${s(k)}: ${s(o)} -> ${s(n)} @${t}`), true);
    context.timestamp = 1;
    store.put(b('a'), b('1'));
    context.timestamp = 2;
    store.put(b('b'), b('1'));
    store.flush();
    context.timestamp = 3;
    store.put(b('b'), b('2'));
    context.timestamp = 4;
    store.put(b('a'), b('2'));
    context.timestamp = 5;
    store.put(b('b'), b('3'));
    store.flush();
    expect(flushed).toEqual(['a: null -> 1 @1', 'b: null -> 1 @2', 'a: 1 -> 2 @4', 'b: 1 -> 3 @5']);
    expect(context.changelog.map((r) => `${s(r.key)}=${s(r.value)} @${r.timestamp}`)).toEqual([
      'a=1 @1',
      'b=1 @2',
      'a=2 @4',
      'b=3 @5',
    ]);
  });

  it('a write during a flush to a key of that flush does not change what the flush passes on', () => {
    const { context, store } = kvCache();
    const flushed: string[] = [];
    store.setFlushListener((k, n, o) => {
      flushed.push(`${s(k)}: ${s(o)} -> ${s(n)}`);
      if (s(k) === 'a' && s(n) === '1') store.put(b('b'), b('written during flush'));
    }, true);
    store.put(b('a'), b('1'));
    store.put(b('b'), b('1'));
    store.flush();
    expect(flushed).toEqual(['a: null -> 1', 'b: null -> 1']);
    store.flush();
    expect(flushed).toEqual(['a: null -> 1', 'b: null -> 1', 'b: 1 -> written during flush']);
    expect(context.changelog.map((r) => `${s(r.key)}=${s(r.value)}`)).toEqual([
      'a=1',
      'b=1',
      'b=written during flush',
    ]);
  });

  it('accounts the new size of an updated entry against the budget', () => {
    // budget for one entry of 1+1 bytes (+ overhead 64) but not for one of 1+200 bytes next to another
    const { context, store } = kvCache(200);
    store.put(b('a'), b('1'));
    store.put(b('b'), b('1'));
    expect(context.changelog).toEqual([]);
    store.put(b('a'), Buffer.alloc(200, 0x78));
    // over budget: the least recently used entry (b) is evicted, flushing every dirty entry, evicted first
    expect(context.changelog.map((r) => `${s(r.key)}=${r.value?.length}`)).toEqual(['b=1', 'a=200']);
  });
});

describe('MeteredWindowStore flush listener keys', () => {
  function typedWindowCache() {
    const context = new FakeStateStoreContext('app-w-changelog');
    const inner = new CachingWindowStore(
      new ChangeLoggingWindowStore(new InMemoryWindowStore('w', 1000, 10, false)),
    );
    const store = new MeteredWindowStore(inner, Serdes.String(), Serdes.Int64(), 'in-memory-window-state');
    store.init(context);
    const flushed: string[] = [];
    store.setFlushListener(
      (k, n, o) => flushed.push(`${JSON.stringify(k.key)}@${k.window.start}: ${o} -> ${n}`),
      true,
    );
    return { store, flushed };
  }

  it('are the strings the String serde decodes, also for keys it does not round-trip', () => {
    const { store, flushed } = typedWindowCache();
    for (const key of ['user-1', 'naïve', 'lone \ud800', 'user-1']) {
      const old = store.fetch(key, 0);
      store.put(key, (old ?? 0) + 1, 0);
      store.flush();
    }
    expect(flushed).toEqual([
      '"user-1"@0: null -> 1',
      '"naïve"@0: null -> 1',
      '"lone �"@0: null -> 1',
      '"user-1"@0: 1 -> 2',
    ]);
  });
});
