import { Headers, type Record, SerializationError, TaskId, TopologyError } from '@tributary/core';
import type { Processor, ProcessorContext, RecordMetadata } from '@tributary/dsl';
import type { KeyValueStore } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { makeTask, raw, runAll, simple } from './helpers/streamTaskFixtures.js';
import { TestKeyValueStoreBuilder } from './helpers/TestKeyValueStore.js';
import { processor, repartitionTopic, sink, source, topologyOf } from './helpers/TopologyFixtures.js';

describe('StreamTask processing', () => {
  it('runs records through source → processor → sink with key, value, timestamp and headers', () => {
    const { task, producer } = makeTask(simple());
    task.initialize();
    const headers = new Headers().add('trace', 'abc');
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'k1', 'hello', 10, 0, headers),
      raw('in', 1, null, 'x', 11),
    ]);
    runAll(task);
    expect(producer.texts()).toEqual([
      ['out', 0, 'k1', 'HELLO', 10],
      ['out', undefined, null, 'X', 11],
    ]);
    expect(producer.records[0]!.headers.lastHeader('trace')?.value?.toString()).toBe('abc');
    expect(task.metrics().processedTotal).toBe(2);
    expect(task.commitNeeded()).toBe(true);
    expect(task.prepareCommit()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
    task.postCommit();
    expect(task.commitNeeded()).toBe(false);
  });

  it('passes tombstones through as null values', () => {
    const passThrough = () =>
      topologyOf([{ id: 0, nodes: [source('src', ['in'], ['out']), sink('out', 'out')] }]);
    const { task, producer } = makeTask(passThrough());
    task.initialize();
    task.addRecord(raw('in', 0, 'k', null, 3));
    runAll(task);
    expect(producer.texts()).toEqual([['out', 0, 'k', null, 3]]);
  });

  it('exposes record metadata to processors and none inside punctuators', () => {
    const seen: (RecordMetadata | undefined)[] = [];
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['p']),
          processor('p', () => {
            let ctx: ProcessorContext<unknown, unknown>;
            return {
              init(c) {
                ctx = c;
                c.schedule(5, 'stream-time', () => seen.push(ctx.recordMetadata()));
              },
              process() {
                const m = ctx.recordMetadata()!;
                seen.push({ topic: m.topic, partition: m.partition, offset: m.offset });
              },
            };
          }),
        ],
      },
    ]);
    const { task } = makeTask(topology, {
      inputPartitions: [{ topic: 'in', partition: 3 }],
      taskId: new TaskId(0, 3),
    });
    task.initialize();
    task.addRecord(raw('in', 41, 'k', 'v', 1, 3));
    runAll(task);
    expect(seen).toEqual([{ topic: 'in', partition: 3, offset: 41 }, undefined]);
  });

  it('forwards to a named child only, and rejects unknown child names with a TopologyError', () => {
    const router = (): Processor<unknown, unknown, unknown, unknown> => {
      let ctx: ProcessorContext<unknown, unknown>;
      return {
        init(c) {
          ctx = c;
        },
        process(r) {
          ctx.forward(r, r.key === 'odd' ? 'toOdd' : r.key === 'even' ? 'toEven' : 'nope');
        },
      };
    };
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['route']),
          processor('route', router, ['toOdd', 'toEven']),
          sink('toOdd', 'odd'),
          sink('toEven', 'even'),
        ],
      },
    ]);
    const { task, producer } = makeTask(topology);
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'odd', '1', 1),
      raw('in', 1, 'even', '2', 2),
    ]);
    runAll(task);
    expect(producer.texts()).toEqual([
      ['odd', 0, 'odd', '1', 1],
      ['even', 0, 'even', '2', 2],
    ]);
    task.addRecord(raw('in', 2, 'other', '3', 3));
    expect(() => task.process()).toThrow(
      "Processor 'route' forwarded to child 'nope', which is not one of its children ('toOdd', 'toEven')",
    );
  });

  it('gives processors their connected stores and names node and store otherwise', () => {
    const counts = new TestKeyValueStoreBuilder<number>('counts');
    const other = new TestKeyValueStoreBuilder<number>('other');
    const counter = (): Processor<unknown, unknown, unknown, unknown> => {
      let store: KeyValueStore<string, number>;
      let ctx: ProcessorContext<unknown, unknown>;
      return {
        init(c) {
          ctx = c;
          store = c.getStateStore('counts');
        },
        process(r) {
          const n = (store.get(String(r.key)) ?? 0) + 1;
          store.put(String(r.key), n);
          ctx.forward(r.withValue(String(n)));
        },
      };
    };
    const sneaky = (): Processor<unknown, unknown, unknown, unknown> => ({
      init(c) {
        c.getStateStore('other');
      },
      process() {},
    });
    const good = topologyOf(
      [
        {
          id: 0,
          nodes: [
            source('src', ['in'], ['count']),
            processor('count', counter, ['out'], ['counts']),
            sink('out', 'out'),
          ],
          storeNames: ['counts'],
        },
      ],
      { storeBuilders: [counts] },
    );
    const { task, producer } = makeTask(good);
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'a', 'x', 1),
      raw('in', 1, 'a', 'y', 2),
      raw('in', 2, 'b', 'z', 3),
    ]);
    runAll(task);
    expect(producer.texts().map(([, , k, v]) => [k, v])).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', '1'],
    ]);
    expect(counts.built[0]!.data).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );

    const bad = topologyOf(
      [
        {
          id: 0,
          nodes: [source('src', ['in'], ['sneaky']), processor('sneaky', sneaky)],
          storeNames: ['other'],
        },
      ],
      { storeBuilders: [other] },
    );
    const { task: badTask } = makeTask(bad);
    badTask.initializeIfNeeded();
    expect(() => badTask.completeRestoration()).toThrow(TopologyError);
    const unknown = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['p']),
          processor('p', () => ({
            init(c) {
              c.getStateStore('missing');
            },
            process() {},
          })),
        ],
      },
    ]);
    const { task: unknownTask } = makeTask(unknown);
    expect(() => unknownTask.initialize()).toThrow(
      "Processor 'p' asked for store 'missing', but the topology has no store of that name",
    );
    const { task: badTask2 } = makeTask(bad);
    badTask2.initializeIfNeeded();
    expect(() => badTask2.completeRestoration()).toThrow(
      "Processor 'sneaky' is not connected to store 'other'; connect it by naming 'other' in the stores of 'sneaky'",
    );
  });

  it('initialises stores with a changelog context and sends changelog records through the collector', () => {
    const counts = new TestKeyValueStoreBuilder<number>('counts').withLoggingEnabled();
    const writer = (): Processor<unknown, unknown, unknown, unknown> => {
      let store: KeyValueStore<string, number>;
      return {
        init(c) {
          store = c.getStateStore('counts');
        },
        process(r) {
          store.put(String(r.key), 7);
        },
      };
    };
    const topology = topologyOf(
      [
        {
          id: 0,
          nodes: [source('src', ['in'], ['w']), processor('w', writer, [], ['counts'])],
          storeNames: ['counts'],
        },
      ],
      { storeBuilders: [counts] },
    );
    const { task, producer } = makeTask(topology, {
      taskId: new TaskId(0, 2),
      inputPartitions: [{ topic: 'in', partition: 2 }],
    });
    task.initialize();
    const store = counts.built[0]!;
    expect(store.context?.changelogTopic).toBe('app-counts-changelog');
    expect(store.context?.changelogPartition).toBe(2);
    expect(store.context?.taskId.toString()).toBe('0_2');
    task.addRecord(raw('in', 0, 'k', 'v', 99, 2));
    runAll(task);
    expect(producer.texts()).toEqual([['app-counts-changelog', 2, 'k', '7', 99]]);
    expect(store.context?.streamTime()).toBe(99);
    task.prepareCommit();
    expect(store.flushCount).toBe(1);
  });

  it('resolves internal topics with the application id prefix, for sinks and sources', () => {
    const topology = topologyOf(
      [
        { id: 0, nodes: [source('src', ['in'], ['toRep']), sink('toRep', 'rekey-repartition')] },
        { id: 1, nodes: [source('repSrc', ['rekey-repartition'], ['out']), sink('out', 'out')] },
      ],
      { internalTopics: [repartitionTopic('rekey-repartition')] },
    );
    const { task, producer } = makeTask(topology);
    task.initialize();
    task.addRecord(raw('in', 0, 'k', 'v', 1));
    runAll(task);
    expect(producer.texts()).toEqual([['app-rekey-repartition', 0, 'k', 'v', 1]]);
    const { task: downstream, producer: p2 } = makeTask(topology, {
      taskId: new TaskId(1, 0),
      inputPartitions: [{ topic: 'app-rekey-repartition', partition: 0 }],
    });
    downstream.initialize();
    downstream.addRecord(raw('app-rekey-repartition', 0, 'k', 'v', 1));
    runAll(downstream);
    expect(p2.texts()).toEqual([['out', 0, 'k', 'v', 1]]);
  });

  it('uses the sink partitioner, else murmur2 of the key bytes, and a topic name extractor', () => {
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['custom', 'dynamic']),
          sink('custom', 'custom', { partitioner: (_t, key, _v, n) => (key === 'last' ? n - 1 : undefined) }),
          sink('dynamic', (key) => `topic-${String(key)}`),
        ],
      },
    ]);
    const { task, producer } = makeTask(topology, {
      partitions: { custom: 4, 'topic-last': 3, 'topic-foobar': 3 },
    });
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'last', 'a', 1),
      raw('in', 1, 'foobar', 'b', 2),
    ]);
    runAll(task);
    // murmur2('foobar') = -790332482 → toPositive 1357151166; % 4 = 2, % 3 = 0; murmur2('last') → 'topic-last' of 3
    expect(producer.texts()).toEqual([
      ['custom', 3, 'last', 'a', 1],
      ['topic-last', expectedPartition('last', 3), 'last', 'a', 1],
      ['custom', 2, 'foobar', 'b', 2],
      ['topic-foobar', 0, 'foobar', 'b', 2],
    ]);
  });

  it('wraps processor exceptions naming task, processor, topic, partition and offset', () => {
    const boom = (): Processor<unknown, unknown, unknown, unknown> => ({
      process() {
        throw new Error('kaput');
      },
    });
    const topology = topologyOf([
      { id: 0, nodes: [source('src', ['in'], ['boom']), processor('boom', boom)] },
    ]);
    const { task } = makeTask(topology);
    task.initialize();
    task.addRecord(raw('in', 7, 'k', 'v', 1));
    expect(() => task.process()).toThrow(
      "Exception caught in process: Task 0_0, processor 'boom', topic 'in' partition 0 offset 7: kaput",
    );
  });

  it('names topic, partition and offset when a source cannot deserialize', () => {
    const failing = {
      name: 'Strict',
      serialize: () => Buffer.alloc(0),
      deserialize: () => {
        throw new Error('bad bytes');
      },
    };
    const topology = topologyOf([{ id: 0, nodes: [source('src', ['in'], [], { valueSerde: failing })] }]);
    const { task } = makeTask(topology);
    task.initialize();
    let error: unknown;
    try {
      task.addRecord(raw('in', 12, 'k', 'v', 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as Error).message).toBe(
      "Could not deserialize the value of the record at topic 'in' partition 0 offset 12 with value serde 'Strict' of source 'src': bad bytes; " +
        "check that the source's serdes (Consumed.with) match what the producer of 'in' writes",
    );
  });

  it('names the sink when it cannot serialize', () => {
    const int32 = {
      name: 'Int32',
      serialize: () => {
        throw new Error('not a number');
      },
      deserialize: () => 0,
    };
    const topology = topologyOf([
      { id: 0, nodes: [source('src', ['in'], ['out']), sink('out', 'out', { valueSerde: int32 })] },
    ]);
    const { task } = makeTask(topology);
    task.initialize();
    task.addRecord(raw('in', 0, 'k', 'v', 1));
    expect(() => task.process()).toThrow(
      "Sink 'out' could not serialize the value of a record for topic 'out' with value serde 'Int32': not a number; " +
        'give the sink a value serde that matches the value type (Produced.with)',
    );
  });
});

function expectedPartition(key: string, n: number): number {
  // independent re-statement of the default partitioner for the dynamic-topic case
  return (murmurOf(key) & 0x7fffffff) % n;
}

import { murmur2 } from '../src/index.js';

function murmurOf(key: string): number {
  return murmur2(Buffer.from(key));
}

describe('Record passes through unchanged', () => {
  it('keeps the Record instance identity when a processor forwards it as is', () => {
    const seen: Record<unknown, unknown>[] = [];
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['a']),
          processor('a', () => {
            let ctx: ProcessorContext<unknown, unknown>;
            return {
              init: (c) => {
                ctx = c;
              },
              process: (r) => {
                seen.push(r);
                ctx.forward(r);
              },
            };
          }, ['b']),
          processor('b', () => ({ process: (r) => void seen.push(r) })),
        ],
      },
    ]);
    const { task } = makeTask(topology);
    task.initialize();
    task.addRecord(raw('in', 0, 'k', 'v', 1));
    runAll(task);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });
});
