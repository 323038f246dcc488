import { Serdes, windowed } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  type BytesSessionStore,
  CachingSessionStore,
  ChangeLoggingSessionStore,
  InMemorySessionStore,
  InvalidStateStoreError,
  type KeyValueIterator,
  MeteredSessionStore,
  SessionKeySchema,
  Stores,
} from '../src/index.js';
import { b, FakeStateStoreContext, s } from './FakeStateStoreContext.js';
import { storeKinds } from './storeKinds.js';

function dump(iterator: KeyValueIterator<{ key: Buffer; window: { start: number; end: number } }, Buffer>) {
  return [...iterator].map(
    (kv) => `${s(kv.key.key)}[${kv.key.window.start},${kv.key.window.end}]=${s(kv.value)}`,
  );
}

function fill(store: BytesSessionStore): void {
  store.put(windowed(b('a'), 0, 5), b('1'));
  store.put(windowed(b('a'), 10, 20), b('2'));
  store.put(windowed(b('a'), 30, 40), b('3'));
  store.put(windowed(b('b'), 10, 20), b('4'));
  store.put(windowed(b('a'), 15, 20), b('5'));
}

describe.each(storeKinds)('$name session store', (kind) => {
  const open = (retentionMs = 1000) => kind.session('sess', retentionMs);
  const inMemory = kind.name === 'in-memory';

  it('findSessions returns sessions ending at or after earliestEnd and starting at or before latestStart', () => {
    const store = open();
    fill(store);
    expect(dump(store.findSessions(b('a'), 5, 30))).toEqual([
      'a[0,5]=1',
      'a[10,20]=2',
      'a[15,20]=5',
      'a[30,40]=3',
    ]);
    expect(dump(store.findSessions(b('a'), 6, 14))).toEqual(['a[10,20]=2']);
    expect(dump(store.findSessions(b('a'), 21, 29))).toEqual([]);
    expect(dump(store.findSessions(b('a'), 40, 30))).toEqual(['a[30,40]=3']);
    expect(dump(store.findSessions(b('c'), 0, 100))).toEqual([]);
    expect(dump(store.fetch(b('b')))).toEqual(['b[10,20]=4']);
  });

  it('fetchSession finds exactly one (key, start, end); put overwrites; remove and put(null) delete', () => {
    const store = open();
    fill(store);
    expect(s(store.fetchSession(b('a'), 15, 20))).toBe('5');
    expect(store.fetchSession(b('a'), 15, 21)).toBeNull();
    store.put(windowed(b('a'), 15, 20), b('5x'));
    expect(s(store.fetchSession(b('a'), 15, 20))).toBe('5x');
    store.remove(windowed(b('a'), 10, 20));
    store.put(windowed(b('a'), 30, 40), null);
    expect(dump(store.fetch(b('a')))).toEqual(['a[0,5]=1', 'a[15,20]=5x']);
  });

  it('key-range scans order by end, then key bytes, then start', () => {
    const store = open();
    fill(store);
    expect(dump(store.findSessionsInKeyRange(undefined, undefined, 0, 100))).toEqual([
      'a[0,5]=1',
      'a[10,20]=2',
      'a[15,20]=5',
      'b[10,20]=4',
      'a[30,40]=3',
    ]);
    expect(dump(store.findSessionsInKeyRange(b('b'), b('z'), 0, 100))).toEqual(['b[10,20]=4']);
    expect(dump(store.findSessionsInKeyRange(b('b'), b('a'), 0, 100))).toEqual([]);
  });

  it('drops exactly the sessions with end <= stream time - retention', () => {
    const store = open(100);
    store.put(windowed(b('a'), 90, 100), b('old'));
    store.put(windowed(b('a'), 95, 101), b('edge'));
    store.put(windowed(b('b'), 150, 199), b('x'));
    expect(dump(store.fetch(b('a')))).toEqual(['a[90,100]=old', 'a[95,101]=edge']);
    store.put(windowed(b('b'), 200, 200), b('y')); // stream time 200: end 100 expires, 101 lives
    expect(dump(store.fetch(b('a')))).toEqual(['a[95,101]=edge']);
    expect(store.fetchSession(b('a'), 90, 100)).toBeNull();
    store.put(windowed(b('late'), 0, 100), b('z'));
    expect((store as unknown as { expiredPuts: number }).expiredPuts).toBe(1);
    store.put(windowed(b('c'), 300, 301), b('w')); // stream time 301: end 201 and below expire
    expect(dump(store.findSessionsInKeyRange(undefined, undefined, 0, 1000))).toEqual(['c[300,301]=w']);
  });

  it('restores from SessionKeySchema changelog keys, tombstones remove', () => {
    const store = open();
    store.restoreBatch([
      { key: SessionKeySchema.toBinary(b('a'), 0, 10), value: b('1'), timestamp: 0, offset: 0 },
      { key: SessionKeySchema.toBinary(b('a'), 20, 30), value: b('2'), timestamp: 0, offset: 1 },
      { key: SessionKeySchema.toBinary(b('a'), 0, 10), value: null, timestamp: 0, offset: 2 },
    ]);
    expect(dump(store.fetch(b('a')))).toEqual(['a[20,30]=2']);
  });

  it.runIf(inMemory)('throws InvalidStateStoreError before init and after close', () => {
    const store = new InMemorySessionStore('sess', 10);
    expect(() => store.fetch(b('a'))).toThrow(InvalidStateStoreError);
    store.init(new FakeStateStoreContext());
    store.close();
    expect(() => store.put(windowed(b('a'), 0, 1), b('1'))).toThrow(/State store 'sess' is closed/);
  });
});

describe('SessionKeySchema', () => {
  it('lays out key + 8-byte end + 8-byte start', () => {
    const binary = SessionKeySchema.toBinary(b('k'), 1, 2);
    expect(binary.toString('hex')).toBe('6b00000000000000020000000000000001');
    expect(s(SessionKeySchema.extractKey(binary))).toBe('k');
    expect(SessionKeySchema.extractStart(binary)).toBe(1);
    expect(SessionKeySchema.extractEnd(binary)).toBe(2);
    expect(() => SessionKeySchema.extractEnd(b('tiny'))).toThrow(/needs at least 16 bytes/);
  });
});

describe('ChangeLoggingSessionStore', () => {
  it('logs puts and removes with key + end + start keys', () => {
    const context = new FakeStateStoreContext('app-sess-changelog');
    const store = new ChangeLoggingSessionStore(new InMemorySessionStore('sess', 1000));
    store.init(context);
    context.timestamp = 42;
    store.put(windowed(b('k'), 1, 2), b('v'));
    store.remove(windowed(b('k'), 1, 2));
    expect(
      context.changelog.map((r) => [r.topic, r.partition, r.key.toString('hex'), s(r.value), r.timestamp]),
    ).toEqual([
      ['app-sess-changelog', 2, '6b00000000000000020000000000000001', 'v', 42],
      ['app-sess-changelog', 2, '6b00000000000000020000000000000001', null, 42],
    ]);
    expect(dump(store.fetch(b('k')))).toEqual([]);
  });
});

describe('MeteredSessionStore and Stores.sessionStoreBuilder', () => {
  it('builds a typed, logged session store', () => {
    const builder = Stores.sessionStoreBuilder(
      Stores.inMemorySessionStore('clicks', 500),
      Serdes.String(),
      Serdes.Int32(),
    );
    expect(builder.logConfig.topicConfig).toEqual({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(500 + 86_400_000),
    });
    const store = builder.build();
    expect(store).toBeInstanceOf(MeteredSessionStore);
    expect(store.wrapped).toBeInstanceOf(ChangeLoggingSessionStore);
    expect(builder.withLoggingDisabled().build().wrapped).toBeInstanceOf(InMemorySessionStore);
    expect(store.retentionMs).toBe(500);
    const context = new FakeStateStoreContext('app-clicks-changelog');
    store.init(context);
    store.put(windowed('u1', 0, 10), 2);
    store.put(windowed('u1', 20, 30), 1);
    store.put(windowed('u2', 5, 10), 7);
    expect(store.fetchSession('u1', 0, 10)).toBe(2);
    expect([...store.findSessions('u1', 10, 25)]).toEqual([
      { key: windowed('u1', 0, 10), value: 2 },
      { key: windowed('u1', 20, 30), value: 1 },
    ]);
    store.remove(windowed('u1', 0, 10));
    expect([...store.fetch('u1')]).toEqual([{ key: windowed('u1', 20, 30), value: 1 }]);
    expect([...store.findSessionsInKeyRange(undefined, undefined, 0, 100)].map((kv) => kv.key.key)).toEqual([
      'u2',
      'u1',
    ]);
    expect(store.metrics).toEqual({ puts: 4, gets: 1, deletes: 0, scans: 3, flushes: 0, restored: 0 });
    expect(context.changelog).toHaveLength(4);
  });
});

describe('CachingSessionStore', () => {
  function cached(cacheMaxBytes?: number, retentionMs = 1000) {
    const context = new FakeStateStoreContext('app-s-changelog', cacheMaxBytes);
    const inner = new InMemorySessionStore('s', retentionMs);
    const store = new CachingSessionStore(new ChangeLoggingSessionStore(inner));
    store.init(context);
    const flushed: string[] = [];
    store.setFlushListener(
      (k, n, o, t) =>
        flushed.push(`${s(k.key)}[${k.window.start},${k.window.end}]: ${s(o)} -> ${s(n)} @${t}`),
      true,
    );
    const changelog = () =>
      context.changelog.map((r) => `${r.key.toString('hex')}=${s(r.value)} @${r.timestamp}`);
    return { context, inner, store, flushed, changelog };
  }

  it('dedups per session until flush, then writes through and forwards old and new values', () => {
    const { context, inner, store, flushed, changelog } = cached();
    context.timestamp = 1;
    store.put(windowed(b('a'), 0, 5), b('1'));
    context.timestamp = 2;
    store.put(windowed(b('a'), 0, 5), b('2'));
    context.timestamp = 3;
    store.put(windowed(b('b'), 3, 5), b('x'));
    expect(s(store.fetchSession(b('a'), 0, 5))).toBe('2');
    expect(dump(store.fetch(b('a')))).toEqual(['a[0,5]=2']);
    expect(inner.fetchSession(b('a'), 0, 5)).toBeNull();
    expect(flushed).toEqual([]);
    store.flush();
    expect(flushed).toEqual(['a[0,5]: null -> 2 @2', 'b[3,5]: null -> x @3']);
    expect(changelog()).toEqual([
      '6100000000000000050000000000000000=2 @2',
      '6200000000000000050000000000000003=x @3',
    ]);
    expect(s(inner.fetchSession(b('a'), 0, 5))).toBe('2');
    context.timestamp = 4;
    store.put(windowed(b('a'), 0, 5), b('3'));
    store.flush();
    store.flush();
    expect(flushed.slice(2)).toEqual(['a[0,5]: 2 -> 3 @4']);
  });

  it('flushes a removal of a stored session as a tombstone with its old value; put+remove of a new one is dropped', () => {
    const { context, store, flushed, changelog } = cached();
    store.put(windowed(b('a'), 0, 5), b('1'));
    store.flush();
    context.timestamp = 7;
    store.remove(windowed(b('a'), 0, 5));
    store.put(windowed(b('a'), 0, 9), b('merged'));
    store.put(windowed(b('n'), 1, 1), b('new'));
    store.remove(windowed(b('n'), 1, 1));
    expect(store.fetchSession(b('a'), 0, 5)).toBeNull();
    expect(dump(store.fetch(b('a')))).toEqual(['a[0,9]=merged']);
    store.flush();
    expect(flushed).toEqual(['a[0,5]: null -> 1 @0', 'a[0,5]: 1 -> null @7', 'a[0,9]: null -> merged @7']);
    expect(changelog()).toEqual([
      '6100000000000000050000000000000000=1 @0',
      '6100000000000000050000000000000000=null @7',
      '6100000000000000090000000000000000=merged @7',
    ]);
    expect(dump(store.fetch(b('a')))).toEqual(['a[0,9]=merged']);
    expect(dump(store.fetch(b('n')))).toEqual([]);
  });

  it('scans merge cached puts and removals into the stored sessions, by end, then key, then start', () => {
    const { store } = cached();
    store.put(windowed(b('a'), 0, 5), b('1'));
    store.put(windowed(b('a'), 10, 20), b('2'));
    store.put(windowed(b('b'), 10, 20), b('3'));
    store.flush();
    store.remove(windowed(b('a'), 10, 20));
    store.put(windowed(b('a'), 15, 20), b('4'));
    store.put(windowed(b('c'), 0, 5), b('5'));
    store.put(windowed(b('b'), 10, 20), b('3x'));
    expect(dump(store.findSessionsInKeyRange(undefined, undefined, 0, 100))).toEqual([
      'a[0,5]=1',
      'c[0,5]=5',
      'a[15,20]=4',
      'b[10,20]=3x',
    ]);
    expect(dump(store.findSessionsInKeyRange(b('b'), b('c'), 0, 100))).toEqual(['c[0,5]=5', 'b[10,20]=3x']);
    expect(dump(store.findSessionsInKeyRange(b('c'), b('b'), 0, 100))).toEqual([]);
    expect(dump(store.findSessions(b('a'), 5, 14))).toEqual(['a[0,5]=1']);
    expect(dump(store.findSessions(b('a'), 6, 15))).toEqual(['a[15,20]=4']);
  });

  it('hides sessions that a cached put expired, as the store would after that put', () => {
    const { store, inner } = cached(undefined, 100);
    store.put(windowed(b('a'), 0, 10), b('old'));
    store.put(windowed(b('b'), 5, 50), b('kept'));
    store.flush();
    store.put(windowed(b('a'), 20, 30), b('cached'));
    store.put(windowed(b('c'), 110, 110), b('late')); // observed end 110: ends <= 10 expire
    expect(dump(inner.fetch(b('a')))).toEqual(['a[0,10]=old']);
    expect(store.fetchSession(b('a'), 0, 10)).toBeNull();
    expect(dump(store.fetch(b('a')))).toEqual(['a[20,30]=cached']);
    expect(dump(store.findSessionsInKeyRange(undefined, undefined, 0, 1000))).toEqual([
      'a[20,30]=cached',
      'b[5,50]=kept',
      'c[110,110]=late',
    ]);
  });

  it('flushes every dirty session, eldest first, when an eviction exceeds the byte budget', () => {
    // 1-byte key + 16 window bytes + 1-byte value + 64 overhead = 82 bytes: two entries fit in 200.
    const { store, flushed } = cached(200);
    store.put(windowed(b('a'), 0, 1), b('1'));
    store.put(windowed(b('b'), 0, 1), b('2'));
    expect(flushed).toEqual([]);
    store.put(windowed(b('c'), 0, 1), b('3'));
    expect(flushed).toEqual(['a[0,1]: null -> 1 @0', 'b[0,1]: null -> 2 @0', 'c[0,1]: null -> 3 @0']);
    expect(dump(store.findSessionsInKeyRange(undefined, undefined, 0, 10))).toEqual([
      'a[0,1]=1',
      'b[0,1]=2',
      'c[0,1]=3',
    ]);
  });

  it('flushes on close and then rejects use', () => {
    const { store, inner, flushed } = cached();
    store.put(windowed(b('a'), 0, 1), b('1'));
    store.close();
    expect(flushed).toEqual(['a[0,1]: null -> 1 @0']);
    expect(inner.isOpen()).toBe(false);
    expect(() => store.fetch(b('a'))).toThrow(/State store 's' is closed/);
  });

  it('is what sessionStoreBuilder().withCachingEnabled() builds, and reports itself cached', () => {
    const builder = Stores.sessionStoreBuilder(
      Stores.inMemorySessionStore('clicks', 500),
      Serdes.String(),
      Serdes.Int32(),
    );
    const store = builder.withCachingEnabled().build();
    expect(store.wrapped).toBeInstanceOf(CachingSessionStore);
    expect((store.wrapped as CachingSessionStore).wrapped).toBeInstanceOf(ChangeLoggingSessionStore);
    expect(builder.withCachingEnabled().withCachingDisabled().build().wrapped).toBeInstanceOf(
      ChangeLoggingSessionStore,
    );
    expect(builder.withCachingEnabled().withLoggingDisabled().build().wrapped).toBeInstanceOf(
      CachingSessionStore,
    );
    const context = new FakeStateStoreContext('app-clicks-changelog');
    store.init(context);
    const seen: unknown[] = [];
    expect(store.setFlushListener((k, n, o, t) => seen.push([k, n, o, t]), true)).toBe(true);
    context.timestamp = 9;
    store.put(windowed('u1', 0, 10), 1);
    store.put(windowed('u1', 0, 10), 2);
    expect(store.fetchSession('u1', 0, 10)).toBe(2);
    store.flush();
    store.remove(windowed('u1', 0, 10));
    store.flush();
    expect(seen).toEqual([
      [windowed('u1', 0, 10), 2, null, 9],
      [windowed('u1', 0, 10), null, 2, 9],
    ]);
    expect(context.changelog).toHaveLength(2);
  });
});
