import { Headers, type Record } from '@tributary/core';
import type { Processor } from '@tributary/dsl';
import type { KeyValueStore } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { GlobalStateUpdateTask } from '../src/index.js';
import { TestKeyValueStoreBuilder } from './helpers/TestKeyValueStore.js';
import { source, topologyOf } from './helpers/TopologyFixtures.js';

describe('GlobalStateUpdateTask', () => {
  it('feeds global topic records through the store processor into the global store', () => {
    const builder = new TestKeyValueStoreBuilder<string>('countries');
    const updater = (): Processor<unknown, unknown, unknown, unknown> => {
      let store: KeyValueStore<string, string>;
      return {
        init(c) {
          store = c.getStateStore('countries');
        },
        process(r: Record<unknown, unknown>) {
          store.put(String(r.key), r.value === null ? null : String(r.value));
        },
      };
    };
    const topology = topologyOf([], {
      globalStores: [
        {
          storeBuilder: builder,
          source: source('global-src', ['countries'], []),
          processorName: 'global-proc',
          processorSupplier: updater,
        },
      ],
    });
    const task = new GlobalStateUpdateTask({ applicationId: 'app', topology, clock: { now: () => 0 } });
    expect(task.topics()).toEqual(['countries']);
    const stores = task.initialize();
    const rec = (offset: number, key: string, value: string | null) => ({
      topic: 'countries',
      partition: offset % 2,
      offset,
      key: Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      timestamp: offset,
      headers: new Headers(),
    });
    task.update(rec(0, 'fr', 'France'));
    task.update(rec(1, 'de', 'Germany'));
    task.update(rec(2, 'fr', null));
    const store = stores.get('countries') as unknown as KeyValueStore<string, string>;
    expect([...store.all()]).toEqual([{ key: 'de', value: 'Germany' }]);
    expect(task.streamTime()).toBe(2);
    expect(() => task.update({ ...rec(3, 'x', 'y'), topic: 'other' })).toThrow(
      "Global task got a record of topic 'other', which feeds no global store (global topics: countries)",
    );
    task.close();
    expect(builder.built[0]!.isOpen()).toBe(false);
  });
});
