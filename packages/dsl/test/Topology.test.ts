import { Serdes } from '@tributary/core';
import { Stores } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { Consumed, Materialized, StreamsBuilder, Topology } from '../src/index.js';

const S = Serdes.String();

describe('Topology: which stores are logged, and what their changelogs are called', () => {
  it('a hand-built topology gets the changelog of every logged store as an internal topic, declared or not', () => {
    const logged = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('logged'),
      S,
      S,
    ).withLoggingEnabled({
      'retention.ms': '1000',
    });
    const unlogged = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('plain'),
      S,
      S,
    ).withLoggingDisabled();
    const topology = new Topology({
      subtopologies: [{ id: 0, nodes: new Map(), sourceTopics: ['in'], storeNames: ['logged', 'plain'] }],
      storeBuilders: new Map([
        ['logged', logged],
        ['plain', unlogged],
      ]),
      globalStores: [],
      internalTopics: new Map(),
      copartitionGroups: [],
    });
    expect(topology.changelogTopic('logged')).toBe('logged-changelog');
    expect(topology.changelogTopic('plain')).toBeUndefined();
    expect(topology.changelogTopic('unknown')).toBeUndefined();
    expect([...topology.internalTopics.values()]).toEqual([
      {
        name: 'logged-changelog',
        kind: 'changelog',
        numberOfPartitions: undefined,
        config: { 'cleanup.policy': 'compact', 'retention.ms': '1000' },
      },
    ]);
    expect(topology.resolveTopic('app', 'logged-changelog')).toBe('app-logged-changelog');
  });

  it('a declared changelog keeps its declaration', () => {
    const logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), S, S);
    const declared = {
      name: 's-changelog',
      kind: 'changelog' as const,
      numberOfPartitions: 3,
      config: { a: 'b' },
    };
    const topology = new Topology({
      subtopologies: [{ id: 0, nodes: new Map(), sourceTopics: ['in'], storeNames: ['s'] }],
      storeBuilders: new Map([['s', logged]]),
      globalStores: [],
      internalTopics: new Map([['s-changelog', declared]]),
      copartitionGroups: [],
    });
    expect([...topology.internalTopics.values()]).toEqual([declared]);
    expect(topology.changelogTopic('s')).toBe('s-changelog');
  });

  it('the DSL names the changelogs of its logged stores, and none for a store without logging', () => {
    const builder = new StreamsBuilder();
    const table = builder.stream('in', Consumed.with(S, S)).groupByKey().count(Materialized.as('counts'));
    table.filter(() => true, Materialized.as<string, number>('filtered').withLoggingDisabled());
    const topology = builder.build();
    expect(topology.changelogTopic('counts')).toBe('counts-changelog');
    expect(topology.changelogTopic('filtered')).toBeUndefined();
    expect([...topology.internalTopics.keys()]).toEqual(['counts-changelog']);
  });
});
