import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  CachingWindowStore,
  ChangeLoggingWindowStore,
  InMemoryWindowStore,
  InvalidStateStoreError,
  type KeyValueIterator,
  MeteredWindowStore,
  Stores,
  WindowKeySchema,
} from '../src/index.js';
import { b, FakeStateStoreContext, s } from './FakeStateStoreContext.js';
import { storeKinds } from './storeKinds.js';

function dumpWindowed(
  iterator: KeyValueIterator<{ key: Buffer; window: { start: number; end: number } }, Buffer>,
) {
  return [...iterator].map(
    (kv) => `${s(kv.key.key)}@${kv.key.window.start}-${kv.key.window.end}=${s(kv.value)}`,
  );
}

describe.each(storeKinds)('$name window store', (kind) => {
  const open = (retentionMs = 100, windowSizeMs = 10, dups = false) =>
    kind.window('win', retentionMs, windowSizeMs, dups);
  const inMemory = kind.name === 'in-memory';

  it('stores values by (key, window start) and deletes with null', () => {
    const store = open();
    store.put(b('a'), b('1'), 0);
    store.put(b('a'), b('2'), 10);
    store.put(b('b'), b('3'), 0);
    store.put(b('a'), b('1x'), 0);
    expect(s(store.fetch(b('a'), 0))).toBe('1x');
    expect(s(store.fetch(b('a'), 10))).toBe('2');
    expect(store.fetch(b('a'), 20)).toBeNull();
    store.put(b('a'), null, 0);
    expect(store.fetch(b('a'), 0)).toBeNull();
    expect(s(store.fetch(b('b'), 0))).toBe('3');
  });

  it('fetchRange returns the windows of one key with inclusive start bounds, in start order', () => {
    const store = open();
    for (const start of [30, 0, 20, 10]) store.put(b('k'), b(`v${start}`), start);
    store.put(b('k2'), b('other'), 10);
    store.put(b('j'), b('other'), 20);
    expect([...store.fetchRange(b('k'), 10, 30)].map((kv) => `${kv.key}=${s(kv.value)}`)).toEqual([
      '10=v10',
      '20=v20',
      '30=v30',
    ]);
    expect([...store.fetchRange(b('k'), 11, 29)].map((kv) => kv.key)).toEqual([20]);
    expect([...store.fetchRange(b('k'), 30, 10)]).toEqual([]);
  });

  it('fetchKeyRange / fetchAll / all order by window start, then key bytes, with window end = start + size', () => {
    const store = open();
    store.put(b('c'), b('1'), 10);
    store.put(b('a'), b('2'), 10);
    store.put(b('b'), b('3'), 0);
    store.put(b('\xff'), b('4'), 0);
    store.put(b('d'), b('5'), 20);
    expect(dumpWindowed(store.fetchKeyRange(b('a'), b('c'), 0, 10))).toEqual([
      'b@0-10=3',
      'a@10-20=2',
      'c@10-20=1',
    ]);
    expect(dumpWindowed(store.fetchKeyRange(b('b'), undefined, 5, 20))).toEqual(['c@10-20=1', 'd@20-30=5']);
    expect(dumpWindowed(store.fetchAll(0, 0))).toEqual(['b@0-10=3', '\xff@0-10=4']);
    expect(dumpWindowed(store.all())).toEqual([
      'b@0-10=3',
      '\xff@0-10=4',
      'a@10-20=2',
      'c@10-20=1',
      'd@20-30=5',
    ]);
    expect(dumpWindowed(store.fetchKeyRange(b('c'), b('a'), 0, 100))).toEqual([]);
  });

  it('drops exactly the windows with start <= stream time - retention, and ignores puts into them', () => {
    const store = open(100, 10);
    store.put(b('a'), b('w0'), 0);
    store.put(b('a'), b('w50'), 50);
    store.put(b('a'), b('w99'), 99);
    // stream time 99: live starts are > -1
    expect([...store.fetchRange(b('a'), 0, 1000)].map((kv) => kv.key)).toEqual([0, 50, 99]);
    // stream time 100: start 0 expires (0 <= 100 - 100)
    store.put(b('b'), b('x'), 100);
    expect([...store.fetchRange(b('a'), 0, 1000)].map((kv) => kv.key)).toEqual([50, 99]);
    expect(store.fetch(b('a'), 0)).toBeNull();
    // stream time 149: start 50 is still live (50 > 49)
    store.put(b('b'), b('y'), 149);
    expect(s(store.fetch(b('a'), 50))).toBe('w50');
    // stream time 150: start 50 expires, 51 would still be live
    store.put(b('b'), b('z'), 150);
    expect(store.fetch(b('a'), 50)).toBeNull();
    expect([...store.fetchRange(b('a'), 0, 1000)].map((kv) => kv.key)).toEqual([99]);
    store.put(b('late'), b('l'), 50);
    store.put(b('late'), b('l'), 51);
    expect(store.fetch(b('late'), 50)).toBeNull();
    expect(s(store.fetch(b('late'), 51))).toBe('l');
    expect((store as unknown as { expiredPuts: number }).expiredPuts).toBe(1);
    expect(dumpWindowed(store.all())).toEqual([
      'late@51-61=l',
      'a@99-109=w99',
      'b@100-110=x',
      'b@149-159=y',
      'b@150-160=z',
    ]);
  });

  it('with retainDuplicates keeps every value of a (key, start) in put order and ignores null puts', () => {
    const store = open(100, 10, true);
    store.put(b('a'), b('1'), 0);
    store.put(b('a'), b('2'), 0);
    store.put(b('a'), null, 0);
    store.put(b('a'), b('3'), 5);
    store.put(b('b'), b('4'), 0);
    expect([...store.fetchRange(b('a'), 0, 10)].map((kv) => `${kv.key}=${s(kv.value)}`)).toEqual([
      '0=1',
      '0=2',
      '5=3',
    ]);
    expect(s(store.fetch(b('a'), 0))).toBe('1');
    expect(dumpWindowed(store.fetchAll(0, 0))).toEqual(['a@0-10=1', 'a@0-10=2', 'b@0-10=4']);
  });

  it('restores from WindowKeySchema changelog keys, with and without seqnums', () => {
    const store = open();
    store.restoreBatch([
      { key: WindowKeySchema.toStoreKeyBinary(b('a'), 10), value: b('1'), timestamp: 0, offset: 0 },
      { key: WindowKeySchema.toStoreKeyBinary(b('a'), 20), value: b('2'), timestamp: 0, offset: 1 },
      { key: WindowKeySchema.toStoreKeyBinary(b('a'), 10), value: null, timestamp: 0, offset: 2 },
    ]);
    expect(dumpWindowed(store.all())).toEqual(['a@20-30=2']);
    const dups = open(100, 10, true);
    dups.restoreBatch([
      { key: WindowKeySchema.toStoreKeyBinary(b('a'), 10, 1), value: b('1'), timestamp: 0, offset: 0 },
      { key: WindowKeySchema.toStoreKeyBinary(b('a'), 10, 2), value: b('2'), timestamp: 0, offset: 1 },
    ]);
    expect(dumpWindowed(dups.all())).toEqual(['a@10-20=1', 'a@10-20=2']);
  });

  it.runIf(inMemory)('throws InvalidStateStoreError before init and after close', () => {
    const store = new InMemoryWindowStore('win', 100, 10, false);
    expect(() => store.put(b('a'), b('1'), 0)).toThrow(InvalidStateStoreError);
    store.init(new FakeStateStoreContext());
    store.close();
    expect(() => store.fetch(b('a'), 0)).toThrow(/State store 'win' is closed/);
  });
});

describe('WindowKeySchema', () => {
  it('lays out key + 8-byte start (+ 4-byte seqnum) big-endian and reads it back', () => {
    const binary = WindowKeySchema.toStoreKeyBinary(b('ab'), 258, 7);
    expect(binary.toString('hex')).toBe('6162000000000000010200000007');
    expect(s(WindowKeySchema.extractKey(binary, true))).toBe('ab');
    expect(WindowKeySchema.extractWindowStart(binary, true)).toBe(258);
    expect(WindowKeySchema.extractSeqnum(binary)).toBe(7);
    expect(WindowKeySchema.toStoreKeyBinary(b('ab'), 1).toString('hex')).toBe('61620000000000000001');
    expect(() => WindowKeySchema.extractKey(b('short'), false)).toThrow(/needs at least 8 bytes/);
  });
});

describe('ChangeLoggingWindowStore', () => {
  it('logs key + start, and key + start + seqnum when retaining duplicates', () => {
    const context = new FakeStateStoreContext('app-win-changelog');
    const store = new ChangeLoggingWindowStore(new InMemoryWindowStore('win', 100, 10, false));
    store.init(context);
    context.timestamp = 7;
    store.put(b('a'), b('1'), 0);
    store.put(b('a'), null, 0);
    expect(
      context.changelog.map((r) => [r.topic, r.partition, r.key.toString('hex'), s(r.value), r.timestamp]),
    ).toEqual([
      ['app-win-changelog', 2, '610000000000000000', '1', 7],
      ['app-win-changelog', 2, '610000000000000000', null, 7],
    ]);

    const dupContext = new FakeStateStoreContext('app-join-changelog');
    const dups = new ChangeLoggingWindowStore(new InMemoryWindowStore('join', 100, 10, true));
    dups.init(dupContext);
    dups.put(b('a'), b('1'), 5);
    dups.put(b('a'), null, 5);
    dups.put(b('a'), b('2'), 5);
    expect(dupContext.changelog.map((r) => `${r.key.toString('hex')}=${s(r.value)}`)).toEqual([
      '61000000000000000500000001=1',
      '61000000000000000500000002=2',
    ]);
  });
});

describe('MeteredWindowStore and Stores.windowStoreBuilder', () => {
  it('builds a typed, logged window store', () => {
    const builder = Stores.windowStoreBuilder(
      Stores.inMemoryWindowStore('counts-win', 1000, 100, false),
      Serdes.String(),
      Serdes.Int32(),
    );
    expect(builder.logConfig).toEqual({
      enabled: true,
      topicConfig: { 'cleanup.policy': 'compact,delete', 'retention.ms': String(1000 + 86_400_000) },
    });
    const store = builder.build();
    expect(store).toBeInstanceOf(MeteredWindowStore);
    expect(store.wrapped).toBeInstanceOf(ChangeLoggingWindowStore);
    expect(builder.withLoggingDisabled().build().wrapped).toBeInstanceOf(InMemoryWindowStore);
    expect(store.retentionMs).toBe(1000);
    expect(store.windowSizeMs).toBe(100);
    const context = new FakeStateStoreContext('app-counts-win-changelog');
    store.init(context);
    store.put('x', 1, 0);
    store.put('x', 2, 100);
    store.put('y', 3, 100);
    expect(store.fetch('x', 100)).toBe(2);
    expect(store.fetchRange('x', 0, 100)).toEqual([
      { windowStart: 0, value: 1 },
      { windowStart: 100, value: 2 },
    ]);
    expect([...store.fetchAll(100, 100)]).toEqual([
      { key: { key: 'x', window: { start: 100, end: 200 } }, value: 2 },
      { key: { key: 'y', window: { start: 100, end: 200 } }, value: 3 },
    ]);
    expect([...store.fetchKeyRange('y', 'y', 0, 1000)].map((kv) => kv.value)).toEqual([3]);
    expect(store.metrics).toEqual({ puts: 3, gets: 1, deletes: 0, scans: 3, flushes: 0, restored: 0 });
    expect(context.changelog).toHaveLength(3);
    expect(store.setFlushListener(() => {}, false)).toBe(false);
  });

  it('rejects a retention shorter than window size plus grace, naming all three', () => {
    expect(() => Stores.inMemoryWindowStore('w', 99, 100, false)).toThrow(
      "The retention period of window store 'w' must be no smaller than its window size plus the grace period: " +
        'got retentionMs=99, windowSizeMs=100, graceMs=0',
    );
    expect(() => Stores.inMemoryWindowStore('w', 150, 100, false, 60)).toThrow(/graceMs=60/);
    expect(() => Stores.inMemoryWindowStore('w', 160, 100, false, 60)).not.toThrow();
    expect(() => Stores.inMemoryWindowStore('w', -1, 0, false)).toThrow(/retentionMs of store 'w' must be/);
  });
});

describe('CachingWindowStore', () => {
  function cached(cacheMaxBytes?: number) {
    const context = new FakeStateStoreContext('app-w-changelog', cacheMaxBytes);
    const inner = new InMemoryWindowStore('w', 1000, 10, false);
    const store = new CachingWindowStore(new ChangeLoggingWindowStore(inner));
    store.init(context);
    const flushed: string[] = [];
    store.setFlushListener(
      (k, n, o, t) => flushed.push(`${s(k.key)}@${k.window.start}-${k.window.end}: ${s(o)} -> ${s(n)} @${t}`),
      true,
    );
    return { context, inner, store, flushed };
  }

  it('dedups per (key, window) until flush and forwards windowed keys with old and new values', () => {
    const { context, inner, store, flushed } = cached();
    context.timestamp = 1;
    store.put(b('a'), b('1'), 0);
    context.timestamp = 2;
    store.put(b('a'), b('2'), 0);
    context.timestamp = 3;
    store.put(b('a'), b('x'), 10);
    expect(s(store.fetch(b('a'), 0))).toBe('2');
    expect(inner.fetch(b('a'), 0)).toBeNull();
    store.flush();
    expect(flushed).toEqual(['a@0-10: null -> 2 @2', 'a@10-20: null -> x @3']);
    expect(context.changelog.map((r) => `${r.key.toString('hex')}=${s(r.value)} @${r.timestamp}`)).toEqual([
      '610000000000000000=2 @2',
      '61000000000000000a=x @3',
    ]);
    store.put(b('a'), b('3'), 0);
    store.flush();
    expect(flushed[2]).toBe('a@0-10: 2 -> 3 @3');
  });

  it('scans merge cached writes and deletes into the stored windows, by start then key', () => {
    const { store } = cached();
    store.put(b('b'), b('1'), 0);
    store.put(b('a'), b('2'), 10);
    store.put(b('c'), b('3'), 10);
    store.flush();
    store.put(b('a'), null, 10);
    store.put(b('a'), b('4'), 0);
    store.put(b('b'), b('5'), 10);
    expect(dumpWindowed(store.all())).toEqual(['a@0-10=4', 'b@0-10=1', 'b@10-20=5', 'c@10-20=3']);
    expect(dumpWindowed(store.fetchKeyRange(b('b'), b('c'), 10, 10))).toEqual(['b@10-20=5', 'c@10-20=3']);
    expect([...store.fetchRange(b('a'), 0, 10)].map((kv) => `${kv.key}=${s(kv.value)}`)).toEqual(['0=4']);
  });

  it('is what windowStoreBuilder().withCachingEnabled() builds, except for stores retaining duplicates', () => {
    const builder = Stores.windowStoreBuilder(
      Stores.inMemoryWindowStore('w', 100, 10, false),
      Serdes.String(),
      Serdes.Int32(),
    );
    const store = builder.withCachingEnabled().build();
    expect(store.wrapped).toBeInstanceOf(CachingWindowStore);
    store.init(new FakeStateStoreContext('app-w-changelog'));
    const seen: unknown[] = [];
    expect(store.setFlushListener((k, n, o) => seen.push([k, n, o]), false)).toBe(true);
    store.put('k', 1, 0);
    store.put('k', 2, 0);
    store.flush();
    expect(seen).toEqual([[{ key: 'k', window: { start: 0, end: 10 } }, 2, null]]);
    const joins = Stores.windowStoreBuilder(
      Stores.inMemoryWindowStore('j', 100, 10, true),
      Serdes.String(),
      Serdes.Int32(),
    );
    expect(joins.withCachingEnabled().build().wrapped).toBeInstanceOf(ChangeLoggingWindowStore);
  });
});
