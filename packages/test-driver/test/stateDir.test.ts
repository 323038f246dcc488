import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Serdes } from '@tributary/core';
import { StreamsBuilder } from '@tributary/dsl';
import {
  type DslStoreSuppliers,
  InMemoryDslStoreSuppliers,
  type StateStore,
  type StoreBuilder,
} from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from '../src/index.js';

const S = Serdes.String();

/** A store builder whose stores record the `stateDir` of the context they are initialised with. */
function probeStore(name: string, seen: (string | undefined)[], failInit = false): StoreBuilder<StateStore> {
  const builder: StoreBuilder<StateStore> = {
    name,
    logConfig: { enabled: false, topicConfig: {} },
    cachingEnabled: false,
    withCachingEnabled: () => builder,
    withCachingDisabled: () => builder,
    withLoggingEnabled: () => builder,
    withLoggingDisabled: () => builder,
    build: () => {
      let open = false;
      return {
        name,
        persistent: true,
        init(context) {
          seen.push(context.stateDir);
          if (failInit) throw new Error(`probe '${name}' failed to open`);
          open = true;
        },
        flush() {},
        close() {
          open = false;
        },
        isOpen: () => open,
      };
    },
  };
  return builder;
}

/** `in` → a processor connected to the probe store. */
function probeTopology(seen: (string | undefined)[], failInit = false) {
  const builder = new StreamsBuilder({ defaultKeySerde: S as never, defaultValueSerde: S as never });
  builder.addStateStore(probeStore('probe', seen, failInit));
  builder.stream<string, string>('in').process(() => ({ process() {} }), 'probe');
  return builder.build();
}

describe('TopologyTestDriver state directory', () => {
  it('makes a temporary directory for the stores of every task and deletes it on close', () => {
    const seen: (string | undefined)[] = [];
    const driver = new TopologyTestDriver(probeTopology(seen), { defaultPartitions: 2 });
    let dir: string | undefined;
    try {
      expect(seen.length).toBe(2);
      dir = seen[0];
      expect(seen[1]).toBe(dir);
      expect(dirname(dir!)).toBe(tmpdir());
      expect(dir!.startsWith(join(tmpdir(), 'tributary-driver-'))).toBe(true);
      expect(existsSync(dir!)).toBe(true);
      driver.createInputTopic('in', S, S).pipeInput('k', 'v');
      expect(existsSync(dir!)).toBe(true);
    } finally {
      driver.close();
    }
    expect(existsSync(dir!)).toBe(false);
  });

  it('gives the stores of tasks and of global tables the same directory', () => {
    const seen: (string | undefined)[] = [];
    const recording: DslStoreSuppliers = {
      ...InMemoryDslStoreSuppliers,
      keyValueStore: (params) => {
        const supplier = InMemoryDslStoreSuppliers.keyValueStore(params);
        return {
          ...supplier,
          get: () => {
            const store = supplier.get();
            const init = store.init.bind(store);
            store.init = (context) => {
              seen.push(`${store.name}: ${context.stateDir}`);
              init(context);
            };
            return store;
          },
        };
      },
    };
    const builder = new StreamsBuilder({
      defaultKeySerde: S as never,
      defaultValueSerde: S as never,
      dslStoreSuppliers: recording,
    });
    builder.globalTable('g');
    builder.table('t');
    const driver = new TopologyTestDriver(builder.build());
    const dir = seen[0]?.split(': ')[1];
    try {
      expect(seen).toEqual([`g-STATE-STORE-0000000000: ${dir}`, `t-STATE-STORE-0000000003: ${dir}`]);
      expect(existsSync(dir!)).toBe(true);
    } finally {
      driver.close();
    }
    expect(existsSync(dir!)).toBe(false);
  });

  it('uses a given stateDir and leaves it in place on close', () => {
    const given = mkdtempSync(join(tmpdir(), 'tributary-given-'));
    try {
      const seen: (string | undefined)[] = [];
      const driver = new TopologyTestDriver(probeTopology(seen), { defaultPartitions: 2, stateDir: given });
      driver.close();
      expect(seen).toEqual([given, given]);
      expect(existsSync(given)).toBe(true);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }
  });

  it('deletes the directory it made when a store fails to open in the constructor', () => {
    const seen: (string | undefined)[] = [];
    expect(() => new TopologyTestDriver(probeTopology(seen, true))).toThrow(
      new Error("probe 'probe' failed to open"),
    );
    expect(seen.length).toBe(1);
    expect(existsSync(seen[0]!)).toBe(false);
  });
});
