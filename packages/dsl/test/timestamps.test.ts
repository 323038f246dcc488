import type { Serde } from '@tributary/core';
import type { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import { Grouped, Materialized, Produced, StreamsBuilder } from '../src/index.js';
import { defaults, driverPerTest, I, S } from './driverHarness.js';

/**
 * Result timestamps as Kafka Streams computes them from its timestamped stores, with input timestamps that go
 * back in time so that "the triggering record's timestamp" and Kafka's rule differ.
 */

const start = driverPerTest();

function read<V>(d: TopologyTestDriver, valueSerde: Serde<V>) {
  return d
    .createOutputTopic('out', S, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => [key, value, timestamp]);
}

describe('aggregation results: max(previous aggregate timestamp, record timestamp)', () => {
  it('KGroupedStream.count and reduce', () => {
    const builder = new StreamsBuilder(defaults);
    const grouped = builder.stream<string, string>('in').groupByKey();
    grouped
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .toStream()
      .to('out', Produced.with(S, I));
    grouped
      .reduce((a, b) => `${a}+${b}`, Materialized.as<string, string>('concat').withCachingDisabled())
      .toStream()
      .to('concat-out');
    const d = start(builder.build());
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('a', 'x', 10);
    input.pipeInput('a', 'y', 5);
    input.pipeInput('b', 'z', 3);
    input.pipeInput('a', 'w', 20);
    input.pipeInput('a', 'v', 15);
    expect(read(d, I)).toEqual([
      ['a', 1, 10],
      ['a', 2, 10],
      ['b', 1, 3],
      ['a', 3, 20],
      ['a', 4, 20],
    ]);
    expect(
      d
        .createOutputTopic('concat-out', S, S)
        .readRecordsToList()
        .map(({ key, value, timestamp }) => [key, value, timestamp]),
    ).toEqual([
      ['a', 'x', 10],
      ['a', 'x+y', 10],
      ['b', 'z', 3],
      ['a', 'x+y+w', 20],
      ['a', 'x+y+w+v', 20],
    ]);
  });

  it('KGroupedStream.count with caching: the flushed result carries the kept timestamp, not the last write', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .count(Materialized.as<string, number>('counts'))
      .toStream()
      .to('out', Produced.with(S, I));
    const d = start(builder.build());
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('a', 'x', 10);
    input.pipeInput('a', 'y', 4); // the driver commits (flushes the cache) after each record
    expect(read(d, I)).toEqual([
      ['a', 1, 10],
      ['a', 2, 10],
    ]);
  });

  it('KGroupedTable.count: subtracting and adding keep the group timestamp', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .table<string, string>('users')
      .groupBy((user, region) => ({ key: region, value: user }), Grouped.with(S, S))
      .count(Materialized.as<string, number>('region-counts').withCachingDisabled())
      .toStream()
      .to('out', Produced.with(S, I));
    const d = start(builder.build());
    const users = d.createInputTopic('users', S, S);
    users.pipeInput('alice', 'eu', 10);
    users.pipeInput('bob', 'eu', 5);
    users.pipeInput('alice', 'us', 7);
    users.pipeInput('bob', null, 2);
    expect(read(d, I)).toEqual([
      ['eu', 1, 10],
      ['eu', 2, 10],
      ['eu', 1, 10], // alice leaves eu at 7: max(7, 10)
      ['us', 1, 7],
      ['eu', 0, 10], // bob deleted at 2: max(2, 10)
    ]);
  });
});

describe('table-table join results: max of both sides when the other side is present', () => {
  function joined(kind: 'join' | 'leftJoin' | 'outerJoin') {
    const builder = new StreamsBuilder(defaults);
    const left = builder.table<string, string>('left');
    const right = builder.table<string, string>('right');
    const joiner = (l: string | null, r: string | null) => `${l}-${r}`;
    const result =
      kind === 'join'
        ? left.join(right, joiner, Materialized.as('joined'))
        : kind === 'leftJoin'
          ? left.leftJoin(right, joiner, Materialized.as('joined'))
          : left.outerJoin(right, joiner, Materialized.as('joined'));
    result.toStream().to('out');
    const d = start(builder.build());
    const l = d.createInputTopic('left', S, S);
    const r = d.createInputTopic('right', S, S);
    l.pipeInput('a', 'L1', 10);
    r.pipeInput('a', 'R1', 5); // max(5, 10) = 10
    l.pipeInput('a', 'L2', 3); // max(3, 5) = 5
    r.pipeInput('a', 'R2', 1); // max(1, 3) = 3
    l.pipeInput('b', 'X', 8); // no right side: 8
    r.pipeInput('c', 'Y', 4); // no left side: 4
    r.pipeInput('a', null, 2); // right deleted: max(2, 3) for the left value
    return d;
  }

  it('inner join', () => {
    const d = joined('join');
    expect(read(d, S)).toEqual([
      ['a', 'L1-R1', 10],
      ['a', 'L2-R1', 5],
      ['a', 'L2-R2', 3],
      ['a', null, 3],
    ]);
    expect(d.getKeyValueStore<string, string>('joined').get('a')).toBeNull();
  });

  it('left join', () => {
    const d = joined('leftJoin');
    expect(read(d, S)).toEqual([
      ['a', 'L1-null', 10],
      ['a', 'L1-R1', 10],
      ['a', 'L2-R1', 5],
      ['a', 'L2-R2', 3],
      ['b', 'X-null', 8],
      ['a', 'L2-null', 3],
    ]);
  });

  it('outer join', () => {
    const d = joined('outerJoin');
    expect(read(d, S)).toEqual([
      ['a', 'L1-null', 10],
      ['a', 'L1-R1', 10],
      ['a', 'L2-R1', 5],
      ['a', 'L2-R2', 3],
      ['b', 'X-null', 8],
      ['c', 'null-Y', 4],
      ['a', 'L2-null', 3],
    ]);
  });
});

describe('foreign-key join results', () => {
  it('take the larger of the left record and the right value timestamps', () => {
    const builder = new StreamsBuilder(defaults);
    const orders = builder.table<string, string>('orders');
    const customers = builder.table<string, string>('customers');
    orders
      .join(
        customers,
        (order) => order.split(':')[0]!,
        (order: string, customer: string | null) => `${order}/${customer}`,
      )
      .toStream()
      .to('out');
    const d = start(builder.build());
    const o = d.createInputTopic('orders', S, S);
    const c = d.createInputTopic('customers', S, S);
    c.pipeInput('c1', 'Alice', 20);
    o.pipeInput('o1', 'c1:mug', 10); // response: max(10, 20)
    c.pipeInput('c1', 'Alicia', 15); // right change: max(15, subscription 10)
    o.pipeInput('o1', 'c1:pen', 5); // response: max(5, 15)
    o.pipeInput('o2', 'c1:ink', 30); // response: max(30, 15)
    expect(read(d, S)).toEqual([
      ['o1', 'c1:mug/Alice', 20],
      ['o1', 'c1:mug/Alicia', 15],
      ['o1', 'c1:pen/Alicia', 15],
      ['o2', 'c1:ink/Alicia', 30],
    ]);
  });
});
