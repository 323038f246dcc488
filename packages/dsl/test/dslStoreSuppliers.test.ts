import { ConfigError, Serdes, TopologyError } from '@tributary/core';
import { type DslStoreSuppliers, InMemoryDslStoreSuppliers } from '@tributary/state';
import { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it, vi } from 'vitest';
import {
  BufferConfig,
  JoinWindows,
  Materialized,
  SessionWindows,
  SlidingWindows,
  StreamJoined,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
} from '../src/index.js';

const S = Serdes.String();
const serdes = { defaultKeySerde: S, defaultValueSerde: S };

type Request =
  | { readonly from: string; readonly type: 'keyValue'; readonly name: string }
  | {
      readonly from: string;
      readonly type: 'window';
      readonly name: string;
      readonly retentionMs: number;
      readonly windowSizeMs: number;
      readonly retainDuplicates: boolean;
      readonly graceMs: number;
    }
  | { readonly from: string; readonly type: 'session'; readonly name: string; readonly retentionMs: number };

/**
 * A DslStoreSuppliers that records every store the DSL asks it for (and every store instance the runtime then
 * gets from a supplier), delegating to the in-memory suppliers.
 */
function recording(kind: string, requests: Request[], gets: string[] = []): DslStoreSuppliers {
  const track = <T extends { readonly name: string; get(): unknown }>(supplier: T): T => ({
    ...supplier,
    get: () => {
      gets.push(`${kind}:${supplier.name}`);
      return supplier.get();
    },
  });
  return {
    kind,
    keyValueStore: (params) => {
      requests.push({ from: kind, type: 'keyValue', ...params });
      return track(InMemoryDslStoreSuppliers.keyValueStore(params));
    },
    windowStore: (params) => {
      requests.push({ from: kind, type: 'window', ...params });
      return track(InMemoryDslStoreSuppliers.windowStore(params));
    },
    sessionStore: (params) => {
      requests.push({ from: kind, type: 'session', ...params });
      return track(InMemoryDslStoreSuppliers.sessionStore(params));
    },
  };
}

describe('StreamsBuilder({ dslStoreSuppliers }) builds every DSL store from the given suppliers', () => {
  it('a windowed count asks for one window store: retention = size + grace, no duplicates, the grace', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    builder.stream<string, string>('in').groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count();
    builder.build();
    expect(requests).toEqual([
      {
        from: 'custom',
        type: 'window',
        name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000001',
        retentionMs: 15,
        windowSizeMs: 10,
        retainDuplicates: false,
        graceMs: 5,
      },
    ]);
  });

  it('a sliding-window aggregation with a named store and explicit retention passes them through', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 3))
      .count(Materialized.as<string, number>('sliding').withRetention(100));
    builder.build();
    expect(requests).toEqual([
      {
        from: 'custom',
        type: 'window',
        name: 'sliding',
        retentionMs: 100,
        windowSizeMs: 10,
        retainDuplicates: false,
        graceMs: 3,
      },
    ]);
  });

  it('a session count asks for one session store: retention = gap + grace + 1', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(20, 7))
      .count();
    builder.build();
    expect(requests).toEqual([
      {
        from: 'custom',
        type: 'session',
        name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000001',
        retentionMs: 28,
      },
    ]);
  });

  it('a KTable materialisation, a count, a toTable and a materialised filter each ask for a key-value store', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    const table = builder.table<string, string>('table-in', undefined, Materialized.as('users'));
    table.filter((_k, v) => v !== '', Materialized.as('non-empty'));
    builder.stream<string, string>('in').groupByKey().count();
    builder.stream<string, string>('changes').toTable();
    builder.build();
    expect(requests).toEqual([
      { from: 'custom', type: 'keyValue', name: 'users' },
      { from: 'custom', type: 'keyValue', name: 'non-empty' },
      { from: 'custom', type: 'keyValue', name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000004' },
      { from: 'custom', type: 'keyValue', name: 'KSTREAM-TOTABLE-STATE-STORE-0000000008' },
    ]);
  });

  it('a stream-stream outer join asks for two window stores keeping duplicates and the shared outer store', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    const left = builder.stream<string, string>('left');
    const right = builder.stream<string, string>('right');
    left.outerJoin(
      right,
      (l, r) => `${l}-${r}`,
      JoinWindows.ofTimeDifferenceAndGrace(15, 4),
      StreamJoined.as<string, string, string>('j'),
    );
    builder.build();
    const joinStore = { from: 'custom', type: 'window', retentionMs: 34, windowSizeMs: 30, graceMs: 0 };
    expect(requests).toEqual([
      { ...joinStore, name: 'j-this-join-store', retainDuplicates: true },
      { ...joinStore, name: 'j-other-join-store', retainDuplicates: true },
      { from: 'custom', type: 'keyValue', name: 'j-outer-shared-join-store' },
    ]);
  });

  it('keeps the suppress buffer in memory: only the aggregation store comes from the suppliers', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests) });
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count(Materialized.as('counts'))
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()));
    const topology = builder.build();
    expect(requests).toEqual([
      {
        from: 'custom',
        type: 'window',
        name: 'counts',
        retentionMs: 10,
        windowSizeMs: 10,
        retainDuplicates: false,
        graceMs: 0,
      },
    ]);
    expect([...topology.storeBuilders.keys()]).toEqual(['counts', 'KTABLE-SUPPRESS-STATE-STORE-0000000003']);
  });

  it('the driver gets its store instances from the chosen suppliers', () => {
    const requests: Request[] = [];
    const gets: string[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('custom', requests, gets) });
    builder.stream<string, string>('in').groupByKey().count(Materialized.as('counts')).toStream().to('out');
    const driver = new TopologyTestDriver(builder.build(), { defaultPartitions: 2 });
    try {
      const input = driver.createInputTopic('in', S, S);
      input.pipeInput('a', 'x');
      input.pipeInput('a', 'y');
      expect(driver.createOutputTopic('out', S, Serdes.Int64()).readKeyValuesToList()).toEqual([
        { key: 'a', value: 1 },
        { key: 'a', value: 2 },
      ]);
    } finally {
      driver.close();
    }
    expect(gets).toEqual(['custom:counts', 'custom:counts']);
  });

  it('defaults to the in-memory suppliers', () => {
    const keyValueStore = vi.spyOn(InMemoryDslStoreSuppliers, 'keyValueStore');
    try {
      const builder = new StreamsBuilder(serdes);
      builder.stream<string, string>('in').groupByKey().count(Materialized.as('counts'));
      builder.build();
      expect(keyValueStore.mock.calls).toEqual([[{ name: 'counts' }]]);
    } finally {
      keyValueStore.mockRestore();
    }
  });

  it('rejects something that is not a DslStoreSuppliers with a ConfigError naming the option', () => {
    expect(() => new StreamsBuilder({ dslStoreSuppliers: 'rocksdb' as never })).toThrow(
      new ConfigError(
        "new StreamsBuilder({ dslStoreSuppliers }) needs a DslStoreSuppliers (kind, keyValueStore, windowStore, sessionStore), got 'rocksdb': " +
          "pass InMemoryDslStoreSuppliers from '@tributary/state' or RocksDBDslStoreSuppliers from '@tributary/rocksdb'",
      ),
    );
  });
});

describe('per-operator store type', () => {
  it('Materialized.withStoreType overrides the builder default for that store only', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('default', requests) });
    const other = recording('override', requests);
    const grouped = builder.stream<string, string>('in').groupByKey();
    grouped.count(Materialized.as<string, number>('plain'));
    grouped.count(Materialized.as<string, number>('chosen').withStoreType(other));
    grouped
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count(Materialized.as<string, number>('windowed').withStoreType(other));
    grouped
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5))
      .count(Materialized.with<string, number>(S, Serdes.Int64()).withStoreType(other));
    builder.table<string, string>(
      't',
      undefined,
      Materialized.as<string, string>('table').withStoreType(other),
    );
    builder.build();
    expect(requests).toEqual([
      { from: 'default', type: 'keyValue', name: 'plain' },
      { from: 'override', type: 'keyValue', name: 'chosen' },
      {
        from: 'override',
        type: 'window',
        name: 'windowed',
        retentionMs: 10,
        windowSizeMs: 10,
        retainDuplicates: false,
        graceMs: 0,
      },
      {
        from: 'override',
        type: 'session',
        name: 'KSTREAM-AGGREGATE-STATE-STORE-0000000004',
        retentionMs: 6,
      },
      { from: 'override', type: 'keyValue', name: 'table' },
    ]);
  });

  it('a foreign-key join takes its subscription store from the builder and its result store from withStoreType', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('default', requests) });
    const orders = builder.table<string, string>('orders', undefined, Materialized.as('orders-store'));
    const customers = builder.table<string, string>(
      'customers',
      undefined,
      Materialized.as('customers-store'),
    );
    orders.join(
      customers,
      (order) => order.split(':')[0]!,
      (order: string, customer: string) => `${order}/${customer}`,
      Materialized.as<string, string>('enriched').withStoreType(recording('override', requests)),
    );
    builder.build();
    // In sub-topology order: the left side (orders and the result), then the right side.
    expect(requests).toEqual([
      { from: 'default', type: 'keyValue', name: 'orders-store' },
      { from: 'override', type: 'keyValue', name: 'enriched' },
      { from: 'default', type: 'keyValue', name: 'customers-store' },
      { from: 'default', type: 'keyValue', name: 'KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000005' },
    ]);
  });

  it('withStoreType is immutable and kept by the other Materialized options', () => {
    const other = recording('override', []);
    const base = Materialized.as<string, number>('m');
    const typed = base.withStoreType(other);
    expect(base.dslStoreSuppliers).toBeUndefined();
    expect(typed.withCachingDisabled().withLoggingDisabled().withRetention(5).dslStoreSuppliers).toBe(other);
  });

  it('StreamJoined.withDslStoreSuppliers overrides the builder default for every join store', () => {
    const requests: Request[] = [];
    const builder = new StreamsBuilder({ ...serdes, dslStoreSuppliers: recording('default', requests) });
    const left = builder.stream<string, string>('left');
    const right = builder.stream<string, string>('right');
    left.leftJoin(
      right,
      (l, r) => `${l}-${r}`,
      JoinWindows.ofTimeDifferenceWithNoGrace(5),
      StreamJoined.as<string, string, string>('j').withDslStoreSuppliers(recording('override', requests)),
    );
    builder.build();
    const joinStore = { from: 'override', type: 'window', retentionMs: 10, windowSizeMs: 10, graceMs: 0 };
    expect(requests).toEqual([
      { ...joinStore, name: 'j-this-join-store', retainDuplicates: true },
      { ...joinStore, name: 'j-other-join-store', retainDuplicates: true },
      { from: 'override', type: 'keyValue', name: 'j-left-shared-join-store' },
    ]);
  });

  it('rejects something that is not a DslStoreSuppliers with a TopologyError naming the call', () => {
    const message = (call: string, got: string) =>
      `${call} needs a DslStoreSuppliers (kind, keyValueStore, windowStore, sessionStore), got ${got}: pass ` +
      "InMemoryDslStoreSuppliers from '@tributary/state' or RocksDBDslStoreSuppliers from '@tributary/rocksdb'";
    expect(() => Materialized.as('m').withStoreType(undefined as never)).toThrow(
      new TopologyError(message('Materialized.withStoreType(...)', 'undefined')),
    );
    expect(() => StreamJoined.as('j').withDslStoreSuppliers({ kind: 'rocksdb' } as never)).toThrow(
      new TopologyError(message('StreamJoined.withDslStoreSuppliers(...)', 'an object')),
    );
  });
});
