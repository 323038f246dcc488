import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '@tributary/core';
import type { Processor, ProcessorContext } from '@tributary/dsl';
import { RocksDBStores } from '@tributary/rocksdb';
import { type KeyValueStore, Stores } from '@tributary/state';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTask, raw, runAll } from './helpers/streamTaskFixtures.js';
import { processor, sink, source, topologyOf } from './helpers/TopologyFixtures.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

const counter = (): Processor<unknown, unknown, unknown, unknown> => {
  let store: KeyValueStore<string, number>;
  let ctx: ProcessorContext<unknown, unknown>;
  return {
    init(c) {
      ctx = c;
      store = c.getStateStore('counts');
    },
    process(r) {
      const n = (store.get(String(r.key)) ?? 0) + 1;
      store.put(String(r.key), n);
      ctx.forward(r.withValue(String(n)));
    },
  };
};

/** A counting task over a logged RocksDB store in a fresh state directory. */
function countingTask(options: { maxUncommittedBytes?: number; stateDir?: string } = {}) {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'tributary-task-test-'));
  if (options.stateDir === undefined) dirs.push(stateDir);
  const builder = Stores.keyValueStoreBuilder(
    RocksDBStores.persistentKeyValueStore('counts'),
    Serdes.String(),
    Serdes.Int64(),
  );
  const topology = topologyOf(
    [
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['count']),
          processor('count', counter, ['out'], ['counts']),
          sink('out', 'out'),
        ],
        storeNames: ['counts'],
      },
    ],
    { storeBuilders: [builder] },
  );
  const made = makeTask(topology, { stateDir, maxUncommittedBytes: options.maxUncommittedBytes });
  made.task.initialize();
  return { ...made, stateDir, store: () => made.task.getStore('counts') as KeyValueStore<string, number> };
}

describe('StreamTask with persistent (transactional) stores', () => {
  it('commits the stores after the Kafka commit, with the next changelog offset; a dirty close forgets the rest', () => {
    const { task, producer, stateDir, store } = countingTask();
    task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 'a', 'x', 1), raw('in', 1, 'a', 'y', 2)]);
    runAll(task);
    expect(store().committedOffset?.()).toBeUndefined();
    task.flushForCommit();
    task.postCommit();
    // Two changelog records (offsets 0 and 1) are in the store's data: restore would resume at 2.
    expect(producer.texts().filter(([t]) => t === 'app-counts-changelog')).toHaveLength(2);
    expect(store().committedOffset?.()).toBe(2);
    task.addRecord(raw('in', 2, 'b', 'z', 3));
    runAll(task);
    task.suspend();
    task.closeDirty();

    const again = countingTask({ stateDir });
    expect(again.store().get('a')).toBe(2);
    expect(again.store().get('b')).toBeNull();
    expect(again.store().committedOffset?.()).toBe(2);
    again.task.suspend();
    again.task.closeDirty();
  });

  it('asks for an early commit once the stores hold more uncommitted bytes than statestore.uncommitted.max.bytes', () => {
    const { task } = countingTask({ maxUncommittedBytes: 200 });
    task.addRecord(raw('in', 0, 'a', 'x', 1));
    runAll(task);
    expect(task.commitRequestedEarly()).toBe(false);
    task.addRecords(
      { topic: 'in', partition: 0 },
      Array.from({ length: 10 }, (_, i) => raw('in', i + 1, `key-${i}`, 'x', 2)),
    );
    runAll(task);
    expect(task.commitRequestedEarly()).toBe(true);
    task.flushForCommit();
    task.postCommit();
    expect(task.commitRequestedEarly()).toBe(false);
    task.suspend();
    task.closeClean();
  });
});
