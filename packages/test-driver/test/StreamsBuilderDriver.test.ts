import { Headers, Record, Serdes } from '@tributary/core';
import {
  Branched,
  Consumed,
  Grouped,
  Materialized,
  type ProcessorContext,
  Produced,
  StreamsBuilder,
} from '@tributary/dsl';
import { type CachedStateStore, type KeyValueStore, Stores } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { storeDefaults } from '../../dsl/test/driverHarness.js';
import { TopologyTestDriver } from '../src/index.js';

const S = Serdes.String();
const L = Serdes.Int64();
// The DSL suite's store type (TRIBUTARY_TEST_DSL_STORE), so these topologies also run on RocksDB.
const defaults = { defaultKeySerde: S as never, defaultValueSerde: S as never, ...storeDefaults };

describe('TopologyTestDriver running StreamsBuilder topologies', () => {
  it('cacheMaxBytes: 0 builds every store without its cache, as statestore.cache.max.bytes=0 in Kafka Streams', () => {
    const run = (cacheMaxBytes: number | undefined) => {
      const builder = new StreamsBuilder(defaults);
      builder
        .stream('in', Consumed.with(S, S))
        .groupByKey()
        .count(Materialized.as<string, number>('counts').withValueSerde(L))
        .toStream()
        .to('out', Produced.with(S, L));
      const driver = new TopologyTestDriver(builder.build(), {
        commit: 'manual',
        ...(cacheMaxBytes === undefined ? {} : { cacheMaxBytes }),
      });
      try {
        const input = driver.createInputTopic('in', S, S);
        const out = driver.createOutputTopic('out', S, L);
        input.pipeInput('a', 'x', 1);
        input.pipeInput('a', 'y', 2);
        input.pipeInput('b', 'z', 3);
        const beforeCommit = out.readKeyValuesToList();
        driver.commit();
        return [beforeCommit, out.readKeyValuesToList()];
      } finally {
        driver.close();
      }
    };
    // Cached (the default budget): nothing until the commit, then the latest count per key.
    expect(run(undefined)).toEqual([
      [],
      [
        { key: 'a', value: 2 },
        { key: 'b', value: 1 },
      ],
    ]);
    // No cache: every update at once.
    expect(run(0)).toEqual([
      [
        { key: 'a', value: 1 },
        { key: 'a', value: 2 },
        { key: 'b', value: 1 },
      ],
      [],
    ]);
    expect(() => new TopologyTestDriver(new StreamsBuilder(defaults).build(), { cacheMaxBytes: -1 })).toThrow(
      /cacheMaxBytes must be a whole number of bytes >= 0/,
    );
  });

  it('auto-repartitions after selectKey + groupByKey and counts per key across partitions', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream('orders', Consumed.with(S, S))
      .selectKey((_k, v) => v.split(':')[0]!)
      .groupByKey(Grouped.with(S, S).withName('by-customer'))
      .count(Materialized.as<string, number>('order-counts').withValueSerde(L).withCachingDisabled())
      .toStream()
      .to('order-counts-out', Produced.with(S, L));
    const topology = builder.build();
    const driver = new TopologyTestDriver(topology, {
      applicationId: 'shop',
      partitions: { orders: 2, 'order-counts-out': 2 },
    });
    const orders = driver.createInputTopic('orders', S, S);
    const out = driver.createOutputTopic('order-counts-out', S, L);
    // input keys land on partitions k1→1, k2→1, k3→0; customers alice→p2 1, bob→0, carol→0
    orders.pipeInput('k1', 'alice:book', 1);
    orders.pipeInput('k2', 'bob:pen', 2);
    orders.pipeInput('k3', 'alice:lamp', 3);
    orders.pipeInput('k3', 'carol:mug', 4);
    orders.pipeInput('k1', 'bob:ink', 5);
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp, r.partition])).toEqual([
      ['alice', 1, 1, 1],
      ['bob', 1, 2, 0],
      ['alice', 2, 3, 1],
      ['carol', 1, 4, 0],
      ['bob', 2, 5, 0],
    ]);
    const repartition = driver.producedTopicNames().find((t) => t.endsWith('-repartition'));
    expect(repartition).toBe('shop-by-customer-repartition');
    expect([...driver.getKeyValueStore<string, number>('order-counts').all()]).toEqual([
      { key: 'alice', value: 2 },
      { key: 'bob', value: 2 },
      { key: 'carol', value: 1 },
    ]);
    driver.close();
  });

  it('branches with a default branch', () => {
    const builder = new StreamsBuilder(defaults);
    const branches = builder
      .stream<string, string>('numbers')
      .split()
      .branch((_k, v) => Number(v) < 0, Branched.as('negative'))
      .branch((_k, v) => Number(v) === 0, Branched.as('zero'))
      .defaultBranch(Branched.as('positive'));
    for (const [name, stream] of branches) stream.mapValues((v) => `${name}:${v}`).to('classified');
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('numbers', S, S);
    const out = driver.createOutputTopic('classified', S, S);
    input.pipeValueList(['-3', '0', '7', '-1'], 10, 1);
    expect(out.readRecordsToList().map((r) => [r.value, r.timestamp])).toEqual([
      ['KSTREAM-BRANCH-0000000001negative:-3', 10],
      ['KSTREAM-BRANCH-0000000001zero:0', 11],
      ['KSTREAM-BRANCH-0000000001positive:7', 12],
      ['KSTREAM-BRANCH-0000000001negative:-1', 13],
    ]);
  });

  it('merges two streams; a task reading both orders buffered records by timestamp', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.stream<string, string>('left');
    const right = builder.stream<string, string>('right');
    left
      .merge(right)
      .mapValues((v) => v.toUpperCase())
      .to('merged');
    const driver = new TopologyTestDriver(builder.build(), { maxTaskIdleMs: 1000 });
    const l = driver.createInputTopic('left', S, S);
    const r = driver.createInputTopic('right', S, S);
    const out = driver.createOutputTopic('merged', S, S);
    l.pipeInput('k', 'l-30', 30);
    l.pipeInput('k', 'l-40', 40);
    r.pipeInput('k', 'r-10', 10);
    r.pipeInput('k', 'r-35', 35);
    r.pipeInput('k', 'r-50', 50);
    driver.advanceWallClockTime(1000);
    expect(out.readValuesToList()).toEqual(['R-10', 'L-30', 'R-35', 'L-40', 'R-50']);
  });

  it('fills a global table from its topic and lets any processor read it', () => {
    const builder = new StreamsBuilder(defaults);
    builder.globalTable('countries', Consumed.with(S, S), Materialized.as<string, string>('countries-store'));
    builder
      .stream<string, string>('visits')
      .process<string, string>(() => {
        let ctx: ProcessorContext<string, string>;
        let countries: KeyValueStore<string, string>;
        return {
          init(c) {
            ctx = c;
            countries = c.getStateStore('countries-store');
          },
          process(record) {
            ctx.forward(record.withValue(`${record.value} from ${countries.get(record.value) ?? 'unknown'}`));
          },
        };
      })
      .to('enriched');
    const driver = new TopologyTestDriver(builder.build(), { partitions: { visits: 2, countries: 3 } });
    const countries = driver.createInputTopic('countries', S, S);
    const visits = driver.createInputTopic('visits', S, S);
    const out = driver.createOutputTopic('enriched', S, S);
    countries.pipeInput('fr', 'France');
    countries.pipeInput('de', 'Germany');
    visits.pipeInput('alice', 'fr', 1);
    visits.pipeInput('bob', 'de', 2);
    visits.pipeInput('carol', 'it', 3);
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.partition])).toEqual([
      ['alice', 'fr from France', 0],
      ['bob', 'de from Germany', 0],
      ['carol', 'it from unknown', 0],
    ]);
    expect([...driver.getKeyValueStore<string, string>('countries-store').all()]).toEqual([
      { key: 'de', value: 'Germany' },
      { key: 'fr', value: 'France' },
    ]);
    driver.close();
  });

  it('reads topics matching a pattern, each partition in the task of its number', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>(/^orders-.*/)
      .process<string, string>(() => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c) {
            ctx = c;
          },
          process(record) {
            const m = ctx.recordMetadata()!;
            ctx.forward(record.withValue(`${record.value}@${m.topic}-${m.partition}/${ctx.taskId}`));
          },
        };
      })
      .to('all-orders');
    const driver = new TopologyTestDriver(builder.build(), { partitions: { 'orders-eu': 2 } });
    const eu = driver.createInputTopic('orders-eu', S, S);
    const us = driver.createInputTopic('orders-us', S, S);
    const out = driver.createOutputTopic('all-orders', S, S);
    eu.pipeRecord({ key: 'a', value: 'x', partition: 1 });
    us.pipeInput('a', 'y');
    expect(out.readValuesToList()).toEqual(['x@orders-eu-1/0_1', 'y@orders-us-0/0_0']);
    expect(() => driver.createInputTopic('invoices', S, S)).toThrow(
      "No source of this topology reads topic 'invoices'",
    );
  });

  it('passes headers through a DSL chain', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .filter((_k, v) => v !== 'skip')
      .mapValues((v) => v.length)
      .to('out', Produced.with(S, Serdes.Int32()));
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, Serdes.Int32());
    input.pipeInput('k', 'skip', 1, new Headers().add('trace', 't0'));
    input.pipeInput('k', 'hello', 2, new Headers().add('trace', 't1'));
    const record = out.readRecord();
    expect([record.key, record.value, record.timestamp]).toEqual(['k', 5, 2]);
    expect(record.headers.lastHeader('trace')?.value?.toString()).toBe('t1');
    expect(out.isEmpty()).toBe(true);
  });

  it('flushes caches after each piped record by default, and only on commit in manual mode', () => {
    // a Processor API counter over a caching store: it forwards only what the cache flushes
    const build = () => {
      const builder = new StreamsBuilder(defaults);
      builder.addStateStore(
        Stores.keyValueStoreBuilder(
          Stores.inMemoryKeyValueStore('clicks-per-user'),
          S,
          L,
        ).withCachingEnabled(),
      );
      builder
        .stream<string, string>('clicks')
        .process<string, number>(() => {
          let store: KeyValueStore<string, number> & CachedStateStore<string, number>;
          return {
            init(ctx) {
              store = ctx.getStateStore('clicks-per-user');
              store.setFlushListener(
                (key, value, _old, timestamp) => ctx.forward(new Record(key, value ?? 0, timestamp)),
                false,
              );
            },
            process(record) {
              store.put(record.key, (store.get(record.key) ?? 0) + 1);
            },
          };
        }, 'clicks-per-user')
        .to('counts', Produced.with(S, L));
      return builder.build();
    };
    const eager = new TopologyTestDriver(build());
    const eagerIn = eager.createInputTopic('clicks', S, S);
    const eagerOut = eager.createOutputTopic('counts', S, L);
    eagerIn.pipeKeyValueList([
      { key: 'u1', value: 'a' },
      { key: 'u1', value: 'b' },
      { key: 'u1', value: 'c' },
    ]);
    expect(eagerOut.readKeyValuesToList()).toEqual([
      { key: 'u1', value: 1 },
      { key: 'u1', value: 2 },
      { key: 'u1', value: 3 },
    ]);
    eager.close();

    const manual = new TopologyTestDriver(build(), { commit: 'manual' });
    const manualIn = manual.createInputTopic('clicks', S, S);
    const manualOut = manual.createOutputTopic('counts', S, L);
    manualIn.pipeKeyValueList([
      { key: 'u1', value: 'a' },
      { key: 'u2', value: 'b' },
      { key: 'u1', value: 'c' },
    ]);
    expect(manualOut.isEmpty()).toBe(true);
    manual.commit();
    // deduplicated per key, flushed least recently written first (u1 was written last)
    expect(manualOut.readKeyValuesToList()).toEqual([
      { key: 'u2', value: 1 },
      { key: 'u1', value: 2 },
    ]);
    manual.close();
  });
});
