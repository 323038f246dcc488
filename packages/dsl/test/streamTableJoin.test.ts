import { type Serde, TopologyError } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import { Joined, Materialized, StreamsBuilder } from '../src/index.js';
import { defaults, driverPerTest, S } from './driverHarness.js';

const joiner = (l: string, r: string | null) => `${l}-${r}`;

const start = driverPerTest();

function read<K = string, V = string>(
  d: TopologyTestDriver,
  topic: string,
  keySerde: Serde<K> = S as unknown as Serde<K>,
  valueSerde: Serde<V> = S as unknown as Serde<V>,
) {
  return d
    .createOutputTopic<K, V>(topic, keySerde, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
}

/** Kafka Streams' join-semantics sequence: [timestamp, side, value] for one key. */
const SEQUENCE: readonly [number, 'left' | 'right', string | null][] = [
  [1, 'left', null],
  [2, 'right', null],
  [3, 'left', 'A'],
  [4, 'right', 'a'],
  [5, 'left', 'B'],
  [6, 'right', 'b'],
  [7, 'left', null],
  [8, 'right', null],
  [9, 'left', 'C'],
  [10, 'right', 'c'],
  [11, 'right', null],
  [12, 'left', null],
  [13, 'right', null],
  [14, 'right', 'd'],
  [15, 'left', 'D'],
];
const KEYS = ['k1', 'k2', 'k3', 'k4'];

function pipeSequence(d: TopologyTestDriver, leftTopic: string, rightTopic: string) {
  const left = d.createInputTopic(leftTopic, S, S);
  const right = d.createInputTopic(rightTopic, S, S);
  for (const [ts, side, value] of SEQUENCE) {
    for (const key of KEYS) {
      const v = value === null ? null : `${value}${key.slice(1)}`;
      (side === 'left' ? left : right).pipeInput(key, v, ts);
    }
  }
}

/** The expected outputs for each key, from `[timestamp, value]` pairs written for key 1 (`A1-a1`). */
function expected(rows: readonly [number, string | null][]) {
  return KEYS.map((key) =>
    rows.map(([timestamp, value]) => ({
      key,
      value: value === null ? null : value.replaceAll('1', key.slice(1)),
      timestamp,
    })),
  );
}

function byKey(records: { key: string | null; value: string | null; timestamp: number }[]) {
  return KEYS.map((key) => records.filter((r) => r.key === key));
}

describe('KStream-KTable join through the driver (3 partitions)', () => {
  it('inner join: the semantics table of Kafka Streams, record by record', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right');
    builder.stream<string, string>('left').join(table, joiner).to('out');
    const d = start(builder.build(), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    expect(byKey(read(d, 'out'))).toEqual(
      expected([
        [5, 'B1-a1'],
        [15, 'D1-d1'],
      ]),
    );
  });

  it('left join: the semantics table of Kafka Streams, record by record', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right');
    builder.stream<string, string>('left').leftJoin(table, joiner).to('out');
    const d = start(builder.build(), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    expect(byKey(read(d, 'out'))).toEqual(
      expected([
        [3, 'A1-null'],
        [5, 'B1-a1'],
        [9, 'C1-null'],
        [15, 'D1-d1'],
      ]),
    );
  });

  it('passes the key to the joiner and names the node KSTREAM-JOIN-/KSTREAM-LEFTJOIN-', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right');
    const stream = builder.stream<string, string>('left');
    stream.join(table, (l, r, k) => `${k}:${l}+${r}`).to('out');
    stream.leftJoin(table, (l, r) => `${l}/${r}`, Joined.as('enrich')).to('out2');
    const topology = builder.build();
    const names = [...topology.subtopologies[0]!.nodes.keys()];
    expect(names).toContain('KSTREAM-JOIN-0000000004');
    expect(names).toContain('enrich');
    const d = start(topology, { defaultPartitions: 2 });
    d.createInputTopic('right', S, S).pipeInput('x', 'r', 1);
    d.createInputTopic('left', S, S).pipeInput('x', 'l', 2);
    expect(read(d, 'out')).toEqual([{ key: 'x', value: 'x:l+r', timestamp: 2 }]);
    expect(read(d, 'out2')).toEqual([{ key: 'x', value: 'l/r', timestamp: 2 }]);
  });

  it('table updates never trigger, and a left join of a null-key record joins it with null (KIP-962)', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right');
    const stream = builder.stream<string, string>('left');
    stream.join(table, joiner).to('out-inner');
    stream.leftJoin(table, joiner).to('out-left');
    const d = start(builder.build());
    const left = d.createInputTopic('left', S, S);
    const right = d.createInputTopic('right', S, S);
    left.pipeInput(null, 'N', 1);
    right.pipeInput('a', 'x', 2);
    right.pipeInput('a', 'y', 3);
    left.pipeInput('a', 'L', 4);
    expect(read(d, 'out-inner')).toEqual([{ key: 'a', value: 'L-y', timestamp: 4 }]);
    expect(read(d, 'out-left')).toEqual([
      { key: null, value: 'N-null', timestamp: 1 },
      { key: 'a', value: 'L-y', timestamp: 4 },
    ]);
  });

  it('repartitions a stream whose key was changed before joining (topic named after the stream node)', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('users');
    builder
      .stream<string, string>('clicks')
      .selectKey((_k, v) => v.split(':')[0]!)
      .join(table, (click, user) => `${click}@${user}`)
      .to('out');
    const topology = builder.build();
    expect([...topology.internalTopics.keys()]).toContain('KSTREAM-KEY-SELECT-0000000004-repartition');
    expect(topology.copartitionGroups).toContainEqual([
      'users',
      'KSTREAM-KEY-SELECT-0000000004-repartition',
      'users-STATE-STORE-0000000000-changelog',
    ]);
    const d = start(topology, { partitions: { clicks: 4, users: 3 } });
    d.createInputTopic('users', S, S).pipeInput('u1', 'Ann', 1);
    d.createInputTopic('users', S, S).pipeInput('u2', 'Bob', 2);
    const clicks = d.createInputTopic('clicks', S, S);
    clicks.pipeInput('c1', 'u1:home', 10);
    clicks.pipeInput('c2', 'u2:cart', 11);
    clicks.pipeInput('c3', 'u3:home', 12);
    expect(read(d, 'out')).toEqual([
      { key: 'u1', value: 'u1:home@Ann', timestamp: 10 },
      { key: 'u2', value: 'u2:cart@Bob', timestamp: 11 },
    ]);
  });

  it('names the repartition topic after Joined.as(name)', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('users');
    builder
      .stream<string, string>('clicks')
      .map((k, v) => ({ key: v, value: k }))
      .leftJoin(table, joiner, Joined.as('click-join'))
      .to('out');
    const topology = builder.build();
    expect(topology.internalTopics.get('click-join-repartition')?.kind).toBe('repartition');
  });

  it('materializes a table that is not materialized before looking it up', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right').filter((_k, v) => v !== 'hidden');
    builder.stream<string, string>('left').leftJoin(table, joiner).to('out');
    const d = start(builder.build(), { defaultPartitions: 2 });
    const right = d.createInputTopic('right', S, S);
    right.pipeInput('a', 'shown', 1);
    right.pipeInput('b', 'hidden', 2);
    const left = d.createInputTopic('left', S, S);
    left.pipeInput('a', 'x', 3);
    left.pipeInput('b', 'y', 4);
    right.pipeInput('a', 'hidden', 5);
    left.pipeInput('a', 'z', 6);
    expect(read(d, 'out')).toEqual([
      { key: 'a', value: 'x-shown', timestamp: 3 },
      { key: 'b', value: 'y-null', timestamp: 4 },
      { key: 'a', value: 'z-null', timestamp: 6 },
    ]);
  });

  it('joins a stream with a table materialized under a given name and serdes', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table('prices', undefined, Materialized.as<string, string>('prices-store'));
    builder
      .stream<string, string>('orders')
      .join(table, (o, p) => `${o}x${p}`)
      .to('out');
    const d = start(builder.build(), { defaultPartitions: 3 });
    d.createInputTopic('prices', S, S).pipeInput('apple', '3', 1);
    d.createInputTopic('orders', S, S).pipeInput('apple', '2', 2);
    expect(read(d, 'out')).toEqual([{ key: 'apple', value: '2x3', timestamp: 2 }]);
  });

  it('rejects stream and table topics with different partition counts', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.table<string, string>('right');
    builder.stream<string, string>('left').join(table, joiner).to('out');
    const topology = builder.build();
    expect(topology.copartitionGroups).toEqual([['right', 'left', 'right-STATE-STORE-0000000000-changelog']]);
    expect(() => new TopologyTestDriver(topology, { partitions: { left: 2, right: 3 } })).toThrow(
      new TopologyError(
        "Topics 'right' (3 partitions), 'left' (2 partitions), 'test-driver-app-right-STATE-STORE-0000000000-changelog' " +
          '(3 partitions) must be co-partitioned (joined or grouped together) but have different partition counts; ' +
          'give them the same count in the partitions option',
      ),
    );
  });
});
