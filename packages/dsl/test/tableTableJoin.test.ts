import { TopologyError } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import { BufferConfig, Materialized, Named, StreamsBuilder, Suppressed } from '../src/index.js';
import { defaults, driverPerTest, S } from './driverHarness.js';
import { expectedPerKey, joiner, pipeSequence, readPerKey } from './joinSequence.js';

const start = driverPerTest();

function tables(kind: 'join' | 'leftJoin' | 'outerJoin', materialized?: Materialized<string, string>) {
  const builder = new StreamsBuilder(defaults);
  const left = builder.table<string, string>('left');
  const right = builder.table<string, string>('right');
  const args = materialized === undefined ? ([] as const) : ([materialized] as const);
  const joined =
    kind === 'join'
      ? left.join(right, joiner, ...args)
      : kind === 'leftJoin'
        ? left.leftJoin(right, joiner, ...args)
        : left.outerJoin(right, joiner, ...args);
  joined.toStream().to('out');
  return builder.build();
}

describe('KTable-KTable joins through the driver (3 partitions, caching on)', () => {
  it('inner join: the semantics table of Kafka Streams, record by record', () => {
    const d = start(tables('join'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    expect(readPerKey(d, 'out')).toEqual(
      expectedPerKey([
        [4, 'A1-a1'],
        [5, 'B1-a1'],
        [6, 'B1-b1'],
        [7, null],
        [10, 'C1-c1'],
        [11, null],
        [15, 'D1-d1'],
      ]),
    );
  });

  it('left join: the semantics table of Kafka Streams, record by record', () => {
    const d = start(tables('leftJoin'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    expect(readPerKey(d, 'out')).toEqual(
      expectedPerKey([
        [3, 'A1-null'],
        [4, 'A1-a1'],
        [5, 'B1-a1'],
        [6, 'B1-b1'],
        [7, null],
        [9, 'C1-null'],
        [10, 'C1-c1'],
        [11, 'C1-null'],
        [12, null],
        [15, 'D1-d1'],
      ]),
    );
  });

  it('outer join: the semantics table of Kafka Streams, record by record', () => {
    const d = start(tables('outerJoin'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    expect(readPerKey(d, 'out')).toEqual(
      expectedPerKey([
        [3, 'A1-null'],
        [4, 'A1-a1'],
        [5, 'B1-a1'],
        [6, 'B1-b1'],
        [7, 'null-b1'],
        [8, null],
        [9, 'C1-null'],
        [10, 'C1-c1'],
        [11, 'C1-null'],
        [12, null],
        [14, 'null-d1'],
        [15, 'D1-d1'],
      ]),
    );
  });

  it('materializes the result: the store holds the current join result, deletions remove it', () => {
    const d = start(tables('outerJoin', Materialized.as('joined')), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right');
    const store = d.getKeyValueStore<string, string>('joined');
    expect([...store.all()].map(({ key, value }) => `${key}=${value}`)).toEqual([
      'k1=D1-d1',
      'k2=D2-d2',
      'k3=D3-d3',
      'k4=D4-d4',
    ]);
    const left = d.createInputTopic('left', S, S);
    left.pipeInput('k1', null, 20);
    const right = d.createInputTopic('right', S, S);
    right.pipeInput('k1', null, 21);
    right.pipeInput('k2', null, 22);
    expect(store.get('k1')).toBeNull();
    expect(store.get('k2')).toBe('D2-null');
  });

  it('forwards old values: a downstream filter feeding a table operation deletes only what it had passed', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.table<string, string>('left');
    const right = builder.table<string, string>('right');
    left
      .join(right, joiner)
      .filter((_k, v) => v.startsWith('A'))
      .suppress(Suppressed.untilTimeLimit(0, BufferConfig.unbounded()))
      .toStream()
      .to('out');
    const d = start(builder.build(), { defaultPartitions: 2 });
    d.createInputTopic('left', S, S).pipeInput('x', 'A', 1);
    d.createInputTopic('right', S, S).pipeInput('x', 'r', 2);
    d.createInputTopic('left', S, S).pipeInput('x', 'B', 3);
    d.createInputTopic('left', S, S).pipeInput('x', 'C', 4);
    const out = d.createOutputTopic('out', S, S).readRecordsToList();
    expect(out.map(({ key, value, timestamp }) => ({ key, value, timestamp }))).toEqual([
      { key: 'x', value: 'A-r', timestamp: 2 },
      { key: 'x', value: null, timestamp: 3 },
    ]);
  });

  it('joins tables that are not materialized (filter / mapValues) and names nodes after Named', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.table<string, string>('left').mapValues((v) => v.toUpperCase());
    const right = builder.table<string, string>('right').filter((_k, v) => v !== 'skip');
    left.leftJoin(right, joiner, Named.as('lj')).toStream().to('out');
    const topology = builder.build();
    const names = [...topology.subtopologies[0]!.nodes.keys()];
    expect(names).toEqual(expect.arrayContaining(['lj', 'lj-join-this', 'lj-join-other']));
    const d = start(topology, { defaultPartitions: 2 });
    d.createInputTopic('left', S, S).pipeInput('x', 'a', 1);
    d.createInputTopic('right', S, S).pipeInput('x', 'skip', 2);
    d.createInputTopic('right', S, S).pipeInput('x', 'r', 3);
    const out = d.createOutputTopic('out', S, S).readRecordsToList();
    expect(out.map(({ key, value, timestamp }) => ({ key, value, timestamp }))).toEqual([
      { key: 'x', value: 'A-null', timestamp: 1 },
      { key: 'x', value: 'A-r', timestamp: 3 },
    ]);
  });

  it('rejects joined tables whose topics have different partition counts', () => {
    const topology = tables('join');
    expect(() => new TopologyTestDriver(topology, { partitions: { left: 2, right: 4 } })).toThrow(
      new TopologyError(
        "Topics 'left' (2 partitions), 'right' (4 partitions), 'test-driver-app-left-STATE-STORE-0000000000-changelog' " +
          "(4 partitions), 'test-driver-app-right-STATE-STORE-0000000003-changelog' (4 partitions) must be " +
          'co-partitioned (joined or grouped together) but have different partition counts; give them the same ' +
          'count in the partitions option',
      ),
    );
  });
});
