import { describe, expect, it } from 'vitest';
import { InMemoryKeyValueStore, InvalidStateStoreError, type KeyValueIterator } from '../src/index.js';
import { b, FakeStateStoreContext, s } from './FakeStateStoreContext.js';
import { storeKinds } from './storeKinds.js';

function dump(iterator: KeyValueIterator<Buffer, Buffer>): string[] {
  return [...iterator].map((kv) => `${s(kv.key)}=${s(kv.value)}`);
}

describe.each(storeKinds)('$name key-value store', (kind) => {
  const open = () => kind.keyValue('kv');
  const inMemory = kind.name === 'in-memory';
  it('gets, overwrites and deletes by key bytes', () => {
    const store = open();
    store.put(b('a'), b('1'));
    store.put(b('a'), b('2'));
    expect(s(store.get(b('a')))).toBe('2');
    expect(store.get(b('b'))).toBeNull();
    expect(s(store.delete(b('a')))).toBe('2');
    expect(store.get(b('a'))).toBeNull();
    expect(store.delete(b('a'))).toBeNull();
    store.put(b('c'), b('3'));
    store.put(b('c'), null);
    expect(store.get(b('c'))).toBeNull();
    if (inMemory) expect(store.approximateNumEntries()).toBe(0);
  });

  it('putIfAbsent keeps the existing value and returns it', () => {
    const store = open();
    expect(store.putIfAbsent(b('k'), b('first'))).toBeNull();
    expect(s(store.putIfAbsent(b('k'), b('second')))).toBe('first');
    expect(s(store.get(b('k')))).toBe('first');
  });

  it('scans in unsigned byte order, not UTF-16 or signed order', () => {
    const store = open();
    for (const key of ['\xff', 'b', '\x00', 'ab', 'a', '\x7f', '\x80', 'a\x00'])
      store.put(b(key), b(key.length.toString()));
    expect(dump(store.all()).map((e) => e.split('=')[0])).toEqual([
      '\x00',
      'a',
      'a\x00',
      'ab',
      'b',
      '\x7f',
      '\x80',
      '\xff',
    ]);
  });

  it('range is inclusive on both bounds, unbounded on undefined, empty when from > to', () => {
    const store = open();
    store.putAll(['a', 'b', 'c', 'd', 'e'].map((k) => ({ key: b(k), value: b(k.toUpperCase()) })));
    expect(dump(store.range(b('b'), b('d')))).toEqual(['b=B', 'c=C', 'd=D']);
    expect(dump(store.range(b('bb'), b('dd')))).toEqual(['c=C', 'd=D']);
    expect(dump(store.range(undefined, b('b')))).toEqual(['a=A', 'b=B']);
    expect(dump(store.range(b('d'), undefined))).toEqual(['d=D', 'e=E']);
    expect(dump(store.range(b('d'), b('b')))).toEqual([]);
  });

  it('prefixScan returns exactly the keys starting with the prefix, including 0xff prefixes', () => {
    const store = open();
    for (const key of ['ab', 'a', 'b', 'a\xff', 'a\xff\xff', 'ac', '\xff', '\xff\x01', 'aa'])
      store.put(b(key), b('v'));
    expect(dump(store.prefixScan(b('a')))).toEqual(['a=v', 'aa=v', 'ab=v', 'ac=v', 'a\xff=v', 'a\xff\xff=v']);
    expect(dump(store.prefixScan(b('a\xff')))).toEqual(['a\xff=v', 'a\xff\xff=v']);
    expect(dump(store.prefixScan(b('\xff')))).toEqual(['\xff=v', '\xff\x01=v']);
    expect(dump(store.prefixScan(b('z')))).toEqual([]);
  });

  it.runIf(inMemory)('an open iterator keeps its key snapshot and skips keys deleted since', () => {
    const store = open();
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    store.put(b('c'), b('3'));
    const iterator = store.all();
    expect(s(iterator.next().value!.key)).toBe('a');
    store.delete(b('b'));
    store.put(b('bb'), b('new'));
    store.put(b('c'), b('33'));
    expect(dump(iterator)).toEqual(['c=33']);
    expect(dump(store.all())).toEqual(['a=1', 'bb=new', 'c=33']);
  });

  it('a deleted and re-put key appears once, in order', () => {
    const store = open();
    for (const k of ['c', 'a', 'b']) store.put(b(k), b(k));
    expect(dump(store.all())).toEqual(['a=a', 'b=b', 'c=c']);
    store.delete(b('b'));
    store.put(b('b'), b('again'));
    store.delete(b('a'));
    store.delete(b('c'));
    store.put(b('c'), b('c2'));
    expect(dump(store.all())).toEqual(['b=again', 'c=c2']);
    if (inMemory) expect(store.approximateNumEntries()).toBe(2);
  });

  it('scans stay exact after long point-only key churn (the ordered index is rebuilt lazily)', () => {
    const store = open();
    for (let i = 0; i < 5000; i++) {
      store.put(b(`k${i}`), b(String(i)));
      if (i >= 2) store.delete(b(`k${i - 2}`));
    }
    expect(dump(store.all())).toEqual(['k4998=4998', 'k4999=4999']);
    store.put(b('k0'), b('back'));
    expect(dump(store.range(undefined, b('k1')))).toEqual(['k0=back']);
  });

  it('closing an iterator ends it', () => {
    const store = open();
    store.put(b('a'), b('1'));
    store.put(b('b'), b('2'));
    const iterator = store.all();
    iterator.close();
    expect(iterator.next().done).toBe(true);
  });

  it('restoreBatch applies puts and tombstones in order', () => {
    const store = open();
    store.restoreBatch([
      { key: b('a'), value: b('1'), timestamp: 1, offset: 0 },
      { key: b('b'), value: b('2'), timestamp: 2, offset: 1 },
      { key: b('a'), value: null, timestamp: 3, offset: 2 },
    ]);
    expect(dump(store.all())).toEqual(['b=2']);
  });

  it.runIf(inMemory)('throws InvalidStateStoreError naming the store before init and after close', () => {
    const store = new InMemoryKeyValueStore('counts');
    expect(() => store.get(b('a'))).toThrow(InvalidStateStoreError);
    expect(() => store.put(b('a'), b('1'))).toThrow(/State store 'counts' is not initialised/);
    store.init(new FakeStateStoreContext());
    store.put(b('a'), b('1'));
    expect(store.isOpen()).toBe(true);
    store.close();
    expect(store.isOpen()).toBe(false);
    expect(() => store.get(b('a'))).toThrow(/State store 'counts' is closed/);
    expect(() => store.all()).toThrow(InvalidStateStoreError);
  });

  it('agrees with a sorted reference model under random operations', () => {
    const store = open();
    const model = new Map<string, string>();
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const key = String.fromCharCode(random(4) * 80, random(3) * 127);
      const op = random(10);
      if (op < 6) {
        store.put(b(key), b(String(i)));
        model.set(key, String(i));
      } else if (op < 8) {
        store.delete(b(key));
        model.delete(key);
      } else {
        const from = String.fromCharCode(random(4) * 80);
        const to = String.fromCharCode(random(4) * 80, 255);
        const expected = [...model.entries()]
          .filter(([k]) => k >= from && k <= to)
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([k, v]) => `${k}=${v}`);
        expect(dump(store.range(b(from), b(to)))).toEqual(expected);
      }
    }
    if (inMemory) expect(store.approximateNumEntries()).toBe(model.size);
  });
});
