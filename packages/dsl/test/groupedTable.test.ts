import type { Serde } from '@tributary/core';
import type { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder } from '../src/index.js';
import { defaults, driverPerTest, I, S } from './driverHarness.js';

/**
 * Two partitions everywhere but `out`; keys starting with 'a' (alice, asia) go to partition 0, the others (bob,
 * carol, europe) to partition 1 — so users and their regions live in different tasks.
 */
const start = driverPerTest({
  defaultPartitions: 2,
  partitions: { out: 1 },
  partitioner: (_topic, keyBytes, n) => (keyBytes[0] === 0x61 ? 0 : 1 % n),
});

function read<V>(d: TopologyTestDriver, valueSerde: Serde<V>) {
  return d
    .createOutputTopic('out', S, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
}

describe('KTable.groupBy → KGroupedTable', () => {
  it('count subtracts a user from the old region when it moves, and on delete (caching off: every update)', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .table<string, string>('users')
      .groupBy((user, region) => ({ key: region, value: user }))
      .count(Materialized.as<string, number>('region-counts').withCachingDisabled())
      .toStream()
      .to('out', Produced.with(S, I));
    const topology = builder.build();
    expect(topology.internalTopics.get('region-counts-repartition')?.kind).toBe('repartition');
    const d = start(topology);
    const users = d.createInputTopic('users', S, S);
    users.pipeInput('alice', 'europe', 1);
    users.pipeInput('bob', 'europe', 2);
    users.pipeInput('carol', 'asia', 3);
    users.pipeInput('alice', 'asia', 4); // moves: -1 for europe (written first), +1 for asia
    users.pipeInput('bob', null, 5); // deleted: -1 for europe; the count stays at 0 (no tombstone)
    users.pipeInput('carol', 'asia', 6); // same group: one combined change, subtract and add (KIP-904)
    expect(read(d, I)).toEqual([
      { key: 'europe', value: 1, timestamp: 1 },
      { key: 'europe', value: 2, timestamp: 2 },
      { key: 'asia', value: 1, timestamp: 3 },
      { key: 'europe', value: 1, timestamp: 4 },
      { key: 'asia', value: 2, timestamp: 4 },
      { key: 'europe', value: 0, timestamp: 5 },
      { key: 'asia', value: 2, timestamp: 6 },
    ]);
    const counts = d.getKeyValueStore<string, number>('region-counts');
    expect(counts.get('asia')).toBe(2);
    expect(counts.get('europe')).toBe(0);
  });

  it('aggregate with adder and subtractor, cached: one deduplicated result per group and commit', () => {
    const builder = new StreamsBuilder(defaults);
    const members = (list: string) => (list === '' ? [] : list.split(','));
    builder
      .table<string, string>('users')
      .groupBy((user, region) => ({ key: region, value: user }), Grouped.as<string, string>('by-region'))
      .aggregate(
        () => '',
        (_region, user, list) => [...members(list), user].sort().join(','),
        (_region, user, list) =>
          members(list)
            .filter((m) => m !== user)
            .join(','),
        Materialized.as<string, string>('members').withValueSerde(S),
      )
      .toStream()
      .to('out', Produced.with(S, S));
    const topology = builder.build();
    expect(topology.internalTopics.get('by-region-repartition')?.kind).toBe('repartition');
    const d = start(topology);
    const users = d.createInputTopic('users', S, S);
    users.pipeInput('alice', 'europe', 1);
    users.pipeInput('bob', 'europe', 2);
    users.pipeInput('alice', 'asia', 3); // tasks commit in order: asia's (1_0) before europe's (1_1)
    users.pipeInput('bob', 'asia', 4);
    users.pipeInput('bob', 'asia', 5); // subtract + add land in one commit: one result
    expect(read(d, S)).toEqual([
      { key: 'europe', value: 'alice', timestamp: 1 },
      { key: 'europe', value: 'alice,bob', timestamp: 2 },
      { key: 'asia', value: 'alice', timestamp: 3 },
      { key: 'europe', value: 'bob', timestamp: 3 },
      { key: 'asia', value: 'alice,bob', timestamp: 4 },
      { key: 'europe', value: '', timestamp: 4 },
      { key: 'asia', value: 'alice,bob', timestamp: 5 },
    ]);
  });

  it('reduce with adder and subtractor, skipping entries the selector maps to null', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .table<string, number>('scores', Consumed.with(S, I))
      .groupBy(
        (player, score) => (score < 0 ? null : { key: player.slice(0, 1), value: score }),
        Grouped.with(S, I),
      )
      .reduce(
        (sum, v) => sum + v,
        (sum, v) => sum - v,
        Materialized.as<string, number>('team-scores').withCachingDisabled(),
      )
      .toStream()
      .to('out', Produced.with(S, I));
    const d = start(builder.build());
    const scores = d.createInputTopic('scores', S, I);
    scores.pipeInput('a1', 10, 1); // team a: the first value is the aggregate
    scores.pipeInput('a2', 5, 2);
    scores.pipeInput('a1', 7, 3); // -10 +7 in one update (same group, KIP-904)
    scores.pipeInput('a2', -1, 4); // no longer selected: only -5
    expect(read(d, I)).toEqual([
      { key: 'a', value: 10, timestamp: 1 },
      { key: 'a', value: 15, timestamp: 2 },
      { key: 'a', value: 12, timestamp: 3 },
      { key: 'a', value: 7, timestamp: 4 },
    ]);
  });
});
