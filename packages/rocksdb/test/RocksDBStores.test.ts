import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskId, windowed } from '@tributary/core';
import type { ChangelogWriter, KeyValueIterator, StateStoreContext } from '@tributary/state';
import { WindowKeySchema } from '@tributary/state';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RocksDBKeyValueStore,
  RocksDBSessionStore,
  RocksDBStores,
  RocksDBWindowStore,
} from '../src/index.js';

const NO_CHANGELOG: ChangelogWriter = { send: () => undefined };
let dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function context(stateDir: string | null = newDir()): StateStoreContext {
  return {
    applicationId: 'app',
    taskId: new TaskId(1, 3),
    changelogTopic: 'app-s-changelog',
    changelogPartition: 3,
    changelogWriter: NO_CHANGELOG,
    stateDir: stateDir ?? undefined,
    currentTimestamp: () => 0,
    streamTime: () => 0,
  };
}

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-rocksdb-test-'));
  dirs.push(dir);
  return dir;
}

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const s = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString('latin1'));
const dump = (it: KeyValueIterator<Buffer, Buffer>): string[] =>
  [...it].map((e) => `${s(e.key)}=${s(e.value)}`);

function openKv(ctx: StateStoreContext, name = 's'): RocksDBKeyValueStore {
  const store = new RocksDBKeyValueStore(name);
  store.init(ctx);
  return store;
}

describe('RocksDBKeyValueStore transactions', () => {
  it('keeps writes pending until commit: a close without commit forgets them, a commit keeps them', () => {
    const ctx = context();
    let store = openKv(ctx);
    store.put(b('a'), b('1'));
    expect(s(store.get(b('a')))).toBe('1');
    store.close();
    store = openKv(ctx);
    expect(store.get(b('a'))).toBeNull();
    expect(store.committedOffset()).toBeUndefined();
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    store.commit(42);
    store.put(b('a'), null);
    store.put(b('c'), b('3'));
    expect(dump(store.all())).toEqual(['b=2', 'c=3']);
    store.close();
    store = openKv(ctx);
    expect(dump(store.all())).toEqual(['a=1', 'b=2']);
    expect(store.committedOffset()).toBe(42);
    store.close();
  });

  it('restoreBatch writes straight to disk and checkpoints the offset after the last record', () => {
    const ctx = context();
    let store = openKv(ctx);
    store.restoreBatch([
      { key: b('a'), value: b('1'), timestamp: 0, offset: 7 },
      { key: b('b'), value: b('2'), timestamp: 0, offset: 8 },
      { key: b('a'), value: null, timestamp: 0, offset: 9 },
    ]);
    expect(store.committedOffset()).toBe(10);
    store.close();
    store = openKv(ctx);
    expect(dump(store.all())).toEqual(['b=2']);
    expect(store.committedOffset()).toBe(10);
    store.commit(undefined);
    expect(store.committedOffset()).toBeUndefined();
    store.close();
  });

  it('agrees with a model of the last commit across random writes, commits and dirty reopens', () => {
    const ctx = context();
    let store = openKv(ctx);
    let committed = new Map<string, string>();
    let current = new Map<string, string>();
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const expected = (model: Map<string, string>, from = '', to = '\xff\xff') =>
      [...model.entries()]
        .filter(([k]) => k >= from && k <= to)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`);
    for (let i = 0; i < 2500; i++) {
      const key = String.fromCharCode(97 + random(6), 97 + random(6));
      const op = random(100);
      if (op < 55) {
        store.put(b(key), b(String(i)));
        current.set(key, String(i));
      } else if (op < 75) {
        store.delete(b(key));
        current.delete(key);
      } else if (op < 90) {
        const from = String.fromCharCode(97 + random(6));
        const to = String.fromCharCode(97 + random(6), 122);
        expect(dump(store.range(b(from), b(to)))).toEqual(from <= to ? expected(current, from, to) : []);
        expect(s(store.get(b(key)))).toBe(current.get(key) ?? null);
      } else if (op < 96) {
        store.commit(i);
        committed = new Map(current);
      } else {
        store.close();
        store = openKv(ctx);
        current = new Map(committed);
        expect(dump(store.all())).toEqual(expected(committed));
      }
    }
    store.close();
  });

  it('scans across many chunks of committed rows merged with pending writes, in byte order', () => {
    const store = openKv(context());
    const key = (i: number) => b(`k${String(i).padStart(4, '0')}`);
    for (let i = 0; i < 1000; i += 2) store.put(key(i), b(String(i)));
    store.commit(1);
    for (let i = 1; i < 1000; i += 2) store.put(key(i), b(String(i)));
    for (let i = 0; i < 1000; i += 10) store.delete(key(i));
    const expected = Array.from({ length: 1000 }, (_, i) => i)
      .filter((i) => i % 10 !== 0)
      .map((i) => `k${String(i).padStart(4, '0')}=${i}`);
    expect(dump(store.all())).toEqual(expected);
    expect(dump(store.range(key(100), key(399)))).toEqual(
      expected.filter((e) => e >= 'k0100' && e < 'k0400'),
    );
    store.close();
  });

  it('names the store and the fix when there is no state directory or the store is open twice', () => {
    expect(() => openKv(context(null), 'counts')).toThrow(
      "RocksDB store 'counts' of task 1_3 needs a state directory, but none was configured; set state.dir " +
        '(KafkaStreams) or stateDir (TopologyTestDriver), or use in-memory stores',
    );
    const ctx = context();
    const first = openKv(ctx, 'counts');
    expect(() => openKv(ctx, 'counts')).toThrow(
      /cannot open RocksDB store 'counts' in .*app\/1_3\/rocksdb\/counts: .*lock.*; another task or process has this store open/,
    );
    first.close();
  });

  it('throws InvalidStateStoreError before init and after close', () => {
    const store = new RocksDBKeyValueStore('kv');
    expect(() => store.get(b('a'))).toThrow("State store 'kv' is not initialised");
    store.init(context());
    store.close();
    expect(() => store.put(b('a'), b('1'))).toThrow("State store 'kv' is closed");
  });
});

describe('RocksDBWindowStore and RocksDBSessionStore checkpoints', () => {
  it('keeps the duplicate sequence number in the checkpoint, so appends after a restart overwrite nothing', () => {
    const ctx = context();
    let store = new RocksDBWindowStore('s', 1000, 10, true);
    store.init(ctx);
    store.put(b('k'), b('1'), 100);
    store.put(b('k'), b('2'), 100);
    store.commit(5);
    store.close();
    store = new RocksDBWindowStore('s', 1000, 10, true);
    store.init(ctx);
    store.put(b('k'), b('3'), 100);
    expect([...store.fetchRange(b('k'), 0, 200)].map((e) => `${e.key}=${s(e.value)}`)).toEqual([
      '100=1',
      '100=2',
      '100=3',
    ]);
    store.close();
  });

  it('keeps the observed stream time, so windows expired before a restart stay expired', () => {
    const ctx = context();
    let store = new RocksDBWindowStore('s', 100, 10, false);
    store.init(ctx);
    store.put(b('k'), b('old'), 0);
    store.put(b('k'), b('new'), 150);
    store.commit(undefined);
    store.close();
    store = new RocksDBWindowStore('s', 100, 10, false);
    store.init(ctx);
    expect(store.fetch(b('k'), 0)).toBeNull();
    store.put(b('k'), b('late'), 10);
    expect(store.expiredPuts).toBe(1);
    expect([...store.all()].map((e) => `${s(e.key.key)}@${e.key.window.start}=${s(e.value)}`)).toEqual([
      'k@150=new',
    ]);
    store.close();
  });

  it('drops whole expired segments from disk at commit, pending writes into them included', () => {
    const ctx = context();
    const store = new RocksDBWindowStore('s', 100, 10, false);
    expect(store.segmentIntervalMs).toBe(60_000);
    store.init(ctx);
    store.put(b('a'), b('1'), 0);
    store.commit(undefined);
    store.put(b('b'), b('2'), 59_000);
    store.put(b('c'), b('3'), 130_000);
    store.commit(undefined);
    store.close();
    // The same directory read as a plain key-value store shows the raw database keys.
    const raw = openKv(ctx);
    expect([...raw.all()].map((e) => WindowKeySchema.extractWindowStart(e.key.subarray(8), false))).toEqual([
      130_000,
    ]);
    raw.close();
  });

  it('orders scans across several segments by time, then key, committed rows merged with pending ones', () => {
    const store = new RocksDBWindowStore('s', 200_000, 10, false); // segments of 100 s
    store.init(context());
    store.put(b('b'), b('1'), 50_000);
    store.put(b('a'), b('2'), 150_000);
    store.commit(undefined);
    store.put(b('a'), b('3'), 120_000);
    store.put(b('c'), b('4'), 120_000);
    store.put(b('a'), b('5'), 50_000);
    const all = [...store.fetchAll(0, 200_000)].map(
      (e) => `${s(e.key.key)}@${e.key.window.start}=${s(e.value)}`,
    );
    expect(all).toEqual(['a@50000=5', 'b@50000=1', 'a@120000=3', 'c@120000=4', 'a@150000=2']);
    expect([...store.fetchRange(b('a'), 0, 200_000)].map((e) => e.key)).toEqual([50_000, 120_000, 150_000]);
    expect([...store.fetchKeyRange(b('b'), b('c'), 100_000, 200_000)].map((e) => s(e.value))).toEqual(['4']);
    store.close();

    const sessions = new RocksDBSessionStore('t', 200_000);
    sessions.init(context());
    sessions.put(windowed(b('b'), 40_000, 50_000), b('1'));
    sessions.put(windowed(b('a'), 100_000, 150_000), b('2'));
    sessions.commit(undefined);
    sessions.put(windowed(b('a'), 10_000, 50_000), b('3'));
    sessions.put(windowed(b('c'), 110_000, 120_000), b('4'));
    const found = [...sessions.findSessionsInKeyRange(undefined, undefined, 0, 200_000)].map(
      (e) => `${s(e.key.key)}[${e.key.window.start},${e.key.window.end}]=${s(e.value)}`,
    );
    expect(found).toEqual([
      'a[10000,50000]=3',
      'b[40000,50000]=1',
      'c[110000,120000]=4',
      'a[100000,150000]=2',
    ]);
    expect([...sessions.fetch(b('a'))].map((e) => s(e.value))).toEqual(['3', '2']);
    sessions.close();
  });

  it('session stores restore, checkpoint and expire by session end', () => {
    const ctx = context();
    let store = new RocksDBSessionStore('s', 100);
    store.init(ctx);
    store.put(windowed(b('a'), 0, 10), b('1'));
    store.put(windowed(b('a'), 20, 30), b('2'));
    store.commit(3);
    store.put(windowed(b('a'), 40, 50), b('pending'));
    store.close();
    store = new RocksDBSessionStore('s', 100);
    store.init(ctx);
    expect(store.committedOffset()).toBe(3);
    expect(
      [...store.fetch(b('a'))].map((e) => `[${e.key.window.start},${e.key.window.end}]=${s(e.value)}`),
    ).toEqual(['[0,10]=1', '[20,30]=2']);
    store.put(windowed(b('a'), 200, 200), b('3'));
    expect(store.fetchSession(b('a'), 0, 10)).toBeNull();
    expect(store.fetchSession(b('a'), 200, 200)?.toString()).toBe('3');
    store.close();
  });
});

describe('RocksDBStores', () => {
  it('makes suppliers of new RocksDB stores and checks their parameters', () => {
    const kv = RocksDBStores.persistentKeyValueStore('counts');
    expect(kv.metricsScope).toBe('rocksdb-state');
    expect(kv.get()).toBeInstanceOf(RocksDBKeyValueStore);
    expect(kv.get()).not.toBe(kv.get());
    const w = RocksDBStores.persistentWindowStore('w', 70, 60, false, 10);
    expect([w.retentionMs, w.windowSizeMs, w.retainDuplicates]).toEqual([70, 60, false]);
    expect(() => RocksDBStores.persistentWindowStore('w', 50, 60, false, 10)).toThrow(
      "The retention period of window store 'w' must be no smaller than its window size plus the grace period: " +
        'got retentionMs=50, windowSizeMs=60, graceMs=10; set a retention of at least 70 ms (e.g. Materialized.withRetention)',
    );
    expect(() => RocksDBStores.persistentSessionStore('bad name', 10)).toThrow(
      /Store name 'bad name' is not valid/,
    );
  });
});
