import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocksDBKeyValueStore, RocksDBSessionStore, RocksDBWindowStore } from '@tributary/rocksdb';
import { afterAll } from 'vitest';
import {
  type BytesKeyValueStore,
  type BytesSessionStore,
  type BytesWindowStore,
  InMemoryKeyValueStore,
  InMemorySessionStore,
  InMemoryWindowStore,
  type StateStore,
} from '../src/index.js';
import { FakeStateStoreContext } from './FakeStateStoreContext.js';

/**
 * The store backends the bytes-store suites run against: in memory; RocksDB with every write pending (read
 * back from the uncommitted buffer); and RocksDB committing after every write (read back from the database).
 */
export interface StoreKind {
  readonly name: string;
  keyValue(name: string): BytesKeyValueStore;
  window(name: string, retentionMs: number, windowSizeMs: number, dups: boolean): BytesWindowStore;
  session(name: string, retentionMs: number): BytesSessionStore;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A context whose state directory is a fresh temporary directory (removed after the file's tests). */
export function contextWithStateDir(): FakeStateStoreContext {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-store-test-'));
  dirs.push(dir);
  return new FakeStateStoreContext('app-store-changelog', undefined, dir);
}

function initialised<T extends StateStore>(store: T): T {
  store.init(contextWithStateDir());
  return store;
}

const MUTATORS = new Set(['put', 'putIfAbsent', 'putAll', 'delete', 'remove', 'restoreBatch']);

/** Wraps a store so that every write is followed by `commit()`. */
function committingEveryWrite<T extends StateStore>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && MUTATORS.has(property)) {
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          target.commit?.(undefined);
          return result;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

export const storeKinds: readonly StoreKind[] = [
  {
    name: 'in-memory',
    keyValue: (name) => initialised(new InMemoryKeyValueStore(name)),
    window: (name, r, w, d) => initialised(new InMemoryWindowStore(name, r, w, d)),
    session: (name, r) => initialised(new InMemorySessionStore(name, r)),
  },
  {
    name: 'rocksdb (uncommitted)',
    keyValue: (name) => initialised(new RocksDBKeyValueStore(name)),
    window: (name, r, w, d) => initialised(new RocksDBWindowStore(name, r, w, d)),
    session: (name, r) => initialised(new RocksDBSessionStore(name, r)),
  },
  {
    name: 'rocksdb (committed)',
    keyValue: (name) => committingEveryWrite(initialised(new RocksDBKeyValueStore(name))),
    window: (name, r, w, d) => committingEveryWrite(initialised(new RocksDBWindowStore(name, r, w, d))),
    session: (name, r) => committingEveryWrite(initialised(new RocksDBSessionStore(name, r))),
  },
];
