import { Headers, type Record, type Serde, Serdes } from '@tributary/core';
import { type KeyValueStore, Stores } from '@tributary/state';
import type { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import {
  Branched,
  Consumed,
  type FixedKeyProcessor,
  Grouped,
  Materialized,
  Named,
  type Processor,
  type ProcessorContext,
  Produced,
  Repartitioned,
  StreamsBuilder,
} from '../src/index.js';
import { defaults, driverPerTest, I, S } from './driverHarness.js';

const start = driverPerTest();

/** Output records without offsets and headers, for compact exact comparison. */
function read<K = string, V = string>(
  d: TopologyTestDriver,
  topic: string,
  keySerde: Serde<K> = S as unknown as Serde<K>,
  valueSerde: Serde<V> = S as unknown as Serde<V>,
) {
  return d
    .createOutputTopic<K, V>(topic, keySerde, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp, partition }) => ({ key, value, timestamp, partition }));
}

describe('stateless operators through the test driver', () => {
  it('filter, filterNot, map, mapValues, flatMap, flatMapValues, selectKey, peek and foreach', () => {
    const builder = new StreamsBuilder(defaults);
    const peeked: string[] = [];
    const seen: string[] = [];
    const input = builder.stream<string, string>('in');
    input
      .filter((_k, v) => v !== 'drop')
      .filterNot((k) => k === 'skip')
      .map((k, v) => ({ key: v, value: k }))
      .flatMap((k, v) => [
        { key: k, value: v },
        { key: `${k}2`, value: `${v}2` },
      ])
      .flatMapValues((v) => (v.endsWith('2') ? [v] : [v, v.toUpperCase()]))
      .selectKey((k, v) => `${k}:${v}`)
      .peek((k) => peeked.push(k))
      .mapValues((v, k) => `${v}@${k.length}`)
      .to('out');
    input.foreach((k, v) => seen.push(`${k}=${v}`));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 5);
    pipe.pipeInput('b', 'drop', 6);
    pipe.pipeInput('skip', 'y', 7);
    expect(read(d, 'out')).toEqual([
      { key: 'x:a', value: 'a@3', timestamp: 5, partition: 0 },
      { key: 'x:A', value: 'A@3', timestamp: 5, partition: 0 },
      { key: 'x2:a2', value: 'a2@5', timestamp: 5, partition: 0 },
    ]);
    expect(peeked).toEqual(['x:a', 'x:A', 'x2:a2']);
    expect(seen).toEqual(['a=x', 'b=drop', 'skip=y']);
  });

  it('splits into named branches with a default branch', () => {
    const builder = new StreamsBuilder(defaults);
    const branches = builder
      .stream<string, number>('amounts', Consumed.with(S, I))
      .split(Named.as('size-'))
      .branch((_k, v) => v >= 100, Branched.as('large'))
      .branch(
        (_k, v) => v >= 10,
        Branched.withFunction((s) => s.mapValues((v) => v * 2), 'medium'),
      )
      .defaultBranch(Branched.as('small'));
    expect([...branches.keys()]).toEqual(['size-large', 'size-medium', 'size-small']);
    branches.get('size-large')!.to('large', Produced.with(S, I));
    branches.get('size-medium')!.to('medium', Produced.with(S, I));
    branches.get('size-small')!.to('small', Produced.with(S, I));
    const d = start(builder.build());
    const pipe = d.createInputTopic('amounts', S, I);
    pipe.pipeInput('a', 150, 1);
    pipe.pipeInput('b', 5, 2);
    pipe.pipeInput('c', 50, 3);
    pipe.pipeInput('d', 100, 4);
    expect(read(d, 'large', S, I)).toEqual([
      { key: 'a', value: 150, timestamp: 1, partition: 0 },
      { key: 'd', value: 100, timestamp: 4, partition: 0 },
    ]);
    expect(read(d, 'medium', S, I)).toEqual([{ key: 'c', value: 100, timestamp: 3, partition: 0 }]);
    expect(read(d, 'small', S, I)).toEqual([{ key: 'b', value: 5, timestamp: 2, partition: 0 }]);
  });

  it('drops unmatched records without a default branch', () => {
    const builder = new StreamsBuilder(defaults);
    const branches = builder
      .stream<string, string>('in')
      .split()
      .branch((_k, v) => v === 'keep')
      .noDefaultBranch();
    branches.get('KSTREAM-BRANCH-00000000011')!.to('out');
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'keep', 1);
    pipe.pipeInput('b', 'other', 2);
    expect(read(d, 'out')).toEqual([{ key: 'a', value: 'keep', timestamp: 1, partition: 0 }]);
  });

  it('merges two streams in timestamp order when the task waits for both inputs', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.stream<string, string>('left');
    const right = builder.stream<string, string>('right');
    left.merge(right).to('merged');
    const d = start(builder.build(), { maxTaskIdleMs: 1000 });
    const l = d.createInputTopic('left', S, S);
    const r = d.createInputTopic('right', S, S);
    l.pipeInput('l1', 'a', 10);
    l.pipeInput('l2', 'b', 30);
    r.pipeInput('r1', 'c', 20);
    r.pipeInput('r2', 'd', 40);
    d.advanceWallClockTime(1000);
    expect(read(d, 'merged')).toEqual([
      { key: 'l1', value: 'a', timestamp: 10, partition: 0 },
      { key: 'r1', value: 'c', timestamp: 20, partition: 0 },
      { key: 'l2', value: 'b', timestamp: 30, partition: 0 },
      { key: 'r2', value: 'd', timestamp: 40, partition: 0 },
    ]);
  });

  it('passes headers through stateless operators and a repartition', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .mapValues((v) => v.toUpperCase())
      .selectKey((_k, v) => v)
      .repartition()
      .filter(() => true)
      .to('out');
    const d = start(builder.build());
    d.createInputTopic('in', S, S).pipeInput('k', 'v', 7, Headers.from({ trace: 'abc', hop: '1' }));
    const [record] = d.createOutputTopic('out', S, S).readRecordsToList();
    expect(record!.key).toBe('V');
    expect(record!.value).toBe('V');
    expect(record!.timestamp).toBe(7);
    expect(record!.headers.toArray()).toEqual([
      { key: 'trace', value: Buffer.from('abc') },
      { key: 'hop', value: Buffer.from('1') },
    ]);
  });
});

describe('aggregations through the test driver', () => {
  it('repartitions automatically after selectKey + groupByKey and counts per new key', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('words')
      .selectKey((_k, word) => word)
      .groupByKey()
      .count(Materialized.as<string, number>('word-counts'))
      .toStream()
      .to('counts', Produced.with(S, I));
    const d = start(builder.build(), { partitions: { words: 2, counts: 1 } });
    const words = d.createInputTopic('words', S, S);
    // Same word on different input partitions must meet in one task after the repartition.
    words.pipeRecord({ key: null, value: 'apple', timestamp: 1, partition: 0 });
    words.pipeRecord({ key: null, value: 'pear', timestamp: 2, partition: 1 });
    words.pipeRecord({ key: null, value: 'apple', timestamp: 3, partition: 1 });
    words.pipeRecord({ key: null, value: 'apple', timestamp: 4, partition: 0 });
    expect(read(d, 'counts', S, I)).toEqual([
      { key: 'apple', value: 1, timestamp: 1, partition: 0 },
      { key: 'pear', value: 1, timestamp: 2, partition: 0 },
      { key: 'apple', value: 2, timestamp: 3, partition: 0 },
      { key: 'apple', value: 3, timestamp: 4, partition: 0 },
    ]);
    const store = d.getKeyValueStore<string, number>('word-counts');
    expect(store.get('apple')).toBe(3);
    expect(store.get('pear')).toBe(1);
  });

  it('drops null keys before the repartition of groupBy and reduces per key', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupBy(
        (_k, v) => (v === 'none' ? (null as unknown as string) : v.slice(0, 1)),
        Grouped.as('by-initial'),
      )
      .reduce((a, b) => `${a}+${b}`)
      .toStream()
      .to('out');
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('1', 'ab', 1);
    pipe.pipeInput('2', 'none', 2);
    pipe.pipeInput('3', 'ac', 3);
    pipe.pipeInput('4', 'bd', 4);
    expect(read(d, 'out')).toEqual([
      { key: 'a', value: 'ab', timestamp: 1, partition: 0 },
      { key: 'a', value: 'ab+ac', timestamp: 3, partition: 0 },
      { key: 'b', value: 'bd', timestamp: 4, partition: 0 },
    ]);
  });

  it('aggregates with an initializer into a JSON value', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .aggregate(
        () => ({ n: 0, total: 0 }),
        (_k, v, agg) => ({ n: agg.n + 1, total: agg.total + Number(v) }),
        Materialized.with(S, Serdes.Json<{ n: number; total: number }>()),
      )
      .toStream()
      .to('out', Produced.valueSerde(Serdes.Json<{ n: number; total: number }>()));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('k', '5', 1);
    pipe.pipeInput('k', '7', 2);
    expect(read(d, 'out', S, Serdes.Json<{ n: number; total: number }>())).toEqual([
      { key: 'k', value: { n: 1, total: 5 }, timestamp: 1, partition: 0 },
      { key: 'k', value: { n: 2, total: 12 }, timestamp: 2, partition: 0 },
    ]);
  });
});

describe('tables through the test driver', () => {
  it('materializes a table, forwards updates and deletions, and filters', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('prices', undefined, Materialized.as('prices-store'));
    table.toStream().to('all');
    table
      .filter((_k, v) => v.length > 1)
      .toStream()
      .to('long');
    const d = start(builder.build());
    const pipe = d.createInputTopic('prices', S, S);
    pipe.pipeInput('a', '10', 1);
    pipe.pipeInput('b', '5', 2);
    pipe.pipeInput('a', '7', 3);
    pipe.pipeInput('b', null, 4);
    expect(read(d, 'all')).toEqual([
      { key: 'a', value: '10', timestamp: 1, partition: 0 },
      { key: 'b', value: '5', timestamp: 2, partition: 0 },
      { key: 'a', value: '7', timestamp: 3, partition: 0 },
      { key: 'b', value: null, timestamp: 4, partition: 0 },
    ]);
    // As Kafka: only toStream() follows the filter, so it gets no old values and forwards every rejected update
    // as a tombstone ('b' never was in the filtered table, its tombstones still come out).
    expect(read(d, 'long')).toEqual([
      { key: 'a', value: '10', timestamp: 1, partition: 0 },
      { key: 'b', value: null, timestamp: 2, partition: 0 },
      { key: 'a', value: null, timestamp: 3, partition: 0 },
      { key: 'b', value: null, timestamp: 4, partition: 0 },
    ]);
    expect(d.getKeyValueStore<string, string>('prices-store').get('a')).toBe('7');
    expect(d.getKeyValueStore<string, string>('prices-store').get('b')).toBeNull();
  });

  it('turns a stream into a table with toTable() and maps table values', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .toTable(Materialized.as('latest'))
      .mapValues((v) => v.length)
      .toStream()
      .to('lengths', Produced.valueSerde(I));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'xyz', 1);
    pipe.pipeInput('a', 'xy', 2);
    expect(read(d, 'lengths', S, I)).toEqual([
      { key: 'a', value: 3, timestamp: 1, partition: 0 },
      { key: 'a', value: 2, timestamp: 2, partition: 0 },
    ]);
    expect(d.getKeyValueStore<string, string>('latest').get('a')).toBe('xy');
  });
});

describe('Processor API through the DSL', () => {
  it('process() uses a store added with addStateStore; processValues() keeps keys', () => {
    const builder = new StreamsBuilder(defaults);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), S, I));
    class Dedup implements Processor<string, string, string, string> {
      private context!: ProcessorContext<string, string>;
      private store!: KeyValueStore<string, number>;
      init(context: ProcessorContext<string, string>) {
        this.context = context;
        this.store = context.getStateStore<KeyValueStore<string, number>>('seen');
      }
      process(record: Record<string, string>) {
        if (this.store.get(record.value) !== null) return;
        this.store.put(record.value, record.timestamp);
        this.context.forward(record.withKey(record.value));
      }
    }
    class Length implements FixedKeyProcessor<string, string, number> {
      private context!: ProcessorContext<string, number>;
      init(context: ProcessorContext<string, number>) {
        this.context = context;
      }
      process(record: Record<string, string>) {
        this.context.forward(record.withValue(record.value.length));
      }
    }
    builder
      .stream<string, string>('in')
      .process(() => new Dedup(), Named.as('dedup'), 'seen')
      .processValues(() => new Length())
      .to('out', Produced.valueSerde(I));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('1', 'hello', 1);
    pipe.pipeInput('2', 'hello', 2);
    pipe.pipeInput('3', 'hi', 3);
    expect(read(d, 'out', S, I)).toEqual([
      { key: 'hello', value: 5, timestamp: 1, partition: 0 },
      { key: 'hi', value: 2, timestamp: 3, partition: 0 },
    ]);
  });

  it('writes to a topic chosen per record and repartitions into a fixed partition count', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .repartition(
        Repartitioned.numberOfPartitions<string, string>(3).withStreamPartitioner(
          (_t, key) => Number(key) % 3,
        ),
      )
      .to(
        (key) => (Number(key) % 2 === 0 ? 'even' : 'odd'),
        Produced.streamPartitioner(() => 0),
      );
    const d = start(builder.build(), { partitions: { even: 2, odd: 2 } });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('1', 'a', 1);
    pipe.pipeInput('2', 'b', 2);
    pipe.pipeInput('4', 'c', 3);
    expect(read(d, 'even')).toEqual([
      { key: '2', value: 'b', timestamp: 2, partition: 0 },
      { key: '4', value: 'c', timestamp: 3, partition: 0 },
    ]);
    expect(read(d, 'odd')).toEqual([{ key: '1', value: 'a', timestamp: 1, partition: 0 }]);
  });
});

describe('sources through the test driver', () => {
  it('reads several topics with a per-source timestamp extractor', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream(
        ['a', 'b'],
        Consumed.with(S, S).withTimestampExtractor((record) => Number(record.value) * 10),
      )
      .to('out');
    const d = start(builder.build());
    d.createInputTopic('a', S, S).pipeInput('x', '3', 1);
    d.createInputTopic('b', S, S).pipeInput('y', '4', 2);
    expect(read(d, 'out')).toEqual([
      { key: 'x', value: '3', timestamp: 30, partition: 0 },
      { key: 'y', value: '4', timestamp: 40, partition: 0 },
    ]);
  });

  it('fills a global table store from every partition of its topic', () => {
    const builder = new StreamsBuilder(defaults);
    builder.globalTable<string, string>('customers', undefined, Materialized.as('customers-store'));
    builder.stream('in').to('out');
    const d = start(builder.build(), { partitions: { customers: 2 } });
    const customers = d.createInputTopic('customers', S, S);
    customers.pipeRecord({ key: 'c1', value: 'Ada', timestamp: 1, partition: 0 });
    customers.pipeRecord({ key: 'c2', value: 'Grace', timestamp: 2, partition: 1 });
    customers.pipeRecord({ key: 'c1', value: null, timestamp: 3, partition: 0 });
    const store = d.getKeyValueStore<string, string>('customers-store');
    expect(store.get('c1')).toBeNull();
    expect(store.get('c2')).toBe('Grace');
  });
});
