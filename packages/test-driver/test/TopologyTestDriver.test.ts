import { Headers, Record, Serdes, type TaskId } from '@tributary/core';
import type {
  Processor,
  ProcessorContext,
  ProcessorNode,
  SinkNode,
  SourceNode,
  TopologyNode,
} from '@tributary/dsl';
import { Topology } from '@tributary/dsl';
import { type KeyValueStore, type StateStore, type StoreBuilder, Stores } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from '../src/index.js';

const S = Serdes.String();
const str = S as never;

function source(name: string, topics: string[], successors: string[], pattern?: RegExp): SourceNode {
  return {
    kind: 'source',
    name,
    topics,
    pattern,
    keySerde: str,
    valueSerde: str,
    timestampExtractor: undefined,
    successors,
  };
}
function processor(
  name: string,
  supplier: () => Processor<unknown, unknown, unknown, unknown>,
  successors: string[] = [],
  stores: string[] = [],
): ProcessorNode {
  return { kind: 'processor', name, supplier, stores, successors };
}
function sink(name: string, topic: string): SinkNode {
  return { kind: 'sink', name, topic, keySerde: str, valueSerde: str, partitioner: undefined };
}
function topology(
  subs: { id: number; nodes: TopologyNode[]; storeNames?: string[] }[],
  extra: { stores?: StoreBuilder<StateStore>[]; repartition?: string[]; copartition?: string[][] } = {},
): Topology {
  return new Topology({
    subtopologies: subs.map((s) => ({
      id: s.id,
      nodes: new Map(s.nodes.map((n) => [n.name, n])),
      sourceTopics: s.nodes.flatMap((n) => (n.kind === 'source' ? [...n.topics] : [])),
      storeNames: s.storeNames ?? [],
    })),
    storeBuilders: new Map((extra.stores ?? []).map((b) => [b.name, b])),
    globalStores: [],
    internalTopics: new Map(
      (extra.repartition ?? []).map((name) => [
        name,
        { name, kind: 'repartition' as const, numberOfPartitions: undefined, config: {} },
      ]),
    ),
    copartitionGroups: extra.copartition ?? [],
  });
}

function forwarding(fn: (ctx: ProcessorContext<unknown, unknown>, r: Record<unknown, unknown>) => void) {
  return (): Processor<unknown, unknown, unknown, unknown> => {
    let ctx: ProcessorContext<unknown, unknown>;
    return {
      init: (c) => {
        ctx = c;
      },
      process: (r) => fn(ctx, r),
    };
  };
}

/**
 * words (2 partitions) → rekey by value → `wc-repartition` (3 partitions) → count in store 'counts' → counts-out (2 partitions).
 * Partitions below come from Kafka's murmur2: p2/p3 of a=0/1, b=0/2, f=1/0; of input keys k1=1, k2=1, k3=0.
 */
function wordCount(seenBy: string[] = []) {
  const counts = Stores.keyValueStoreBuilder(
    Stores.inMemoryKeyValueStore('counts'),
    S,
    Serdes.Int64(),
  ).withLoggingDisabled();
  return topology(
    [
      {
        id: 0,
        nodes: [
          source('words', ['words'], ['rekey']),
          processor(
            'rekey',
            forwarding((ctx, r) => ctx.forward(r.withKey(r.value))),
            ['to-repartition'],
          ),
          sink('to-repartition', 'wc-repartition'),
        ],
      },
      {
        id: 1,
        nodes: [
          source('from-repartition', ['wc-repartition'], ['count']),
          processor(
            'count',
            () => {
              let ctx: ProcessorContext<unknown, unknown>;
              let store: KeyValueStore<string, number>;
              return {
                init(c) {
                  ctx = c;
                  store = c.getStateStore('counts');
                },
                process(r) {
                  const key = String(r.key);
                  const n = (store.get(key) ?? 0) + 1;
                  store.put(key, n);
                  seenBy.push(`${key}@${(ctx.taskId as TaskId).toString()}`);
                  ctx.forward(r.withValue(String(n)));
                },
              };
            },
            ['out'],
            ['counts'],
          ),
          sink('out', 'counts-out'),
        ],
        storeNames: ['counts'],
      },
    ],
    { stores: [counts as unknown as StoreBuilder<StateStore>], repartition: ['wc-repartition'] },
  );
}

describe('TopologyTestDriver with several partitions', () => {
  const config = { applicationId: 'wc', partitions: { words: 2, 'wc-repartition': 3, 'counts-out': 2 } };

  it('routes repartitioned records to the task of their partition and processes them before pipeInput returns', () => {
    const seenBy: string[] = [];
    const driver = new TopologyTestDriver(wordCount(seenBy), config);
    const words = driver.createInputTopic('words', S, S);
    const repartition = driver.createOutputTopic('wc-repartition', S, S);
    const out = driver.createOutputTopic('counts-out', S, S);

    words.pipeInput('k3', 'a', 10);
    // processed synchronously: the count is already out
    expect(out.readRecord()).toMatchObject({
      topic: 'counts-out',
      key: 'a',
      value: '1',
      timestamp: 10,
      partition: 0,
    });
    words.pipeInput('k1', 'b', 11);
    words.pipeInput('k2', 'a', 12);
    words.pipeInput('k3', 'f', 13);

    expect(
      repartition.readRecordsToList().map((r) => [r.topic, r.key, r.value, r.partition, r.offset]),
    ).toEqual([
      ['wc-wc-repartition', 'a', 'a', 1, 0],
      ['wc-wc-repartition', 'b', 'b', 2, 0],
      ['wc-wc-repartition', 'a', 'a', 1, 1],
      ['wc-wc-repartition', 'f', 'f', 0, 0],
    ]);
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp, r.partition])).toEqual([
      ['b', '1', 11, 0],
      ['a', '2', 12, 0],
      ['f', '1', 13, 1],
    ]);
    // 'k3' was piped into words-0 (task 0_0) but its word 'a' was counted by task 1_1
    expect(seenBy).toEqual(['a@1_1', 'b@1_2', 'a@1_1', 'f@1_0']);
    expect(out.isEmpty()).toBe(true);
    driver.close();
  });

  it('reads a store across all tasks, merged in key order', () => {
    const driver = new TopologyTestDriver(wordCount(), config);
    const words = driver.createInputTopic('words', S, S);
    words.pipeKeyValueList(
      ['f', 'a', 'b', 'a', 'f', 'a'].map((w, i) => ({ key: `k${(i % 3) + 1}`, value: w })),
      100,
      1,
    );
    const counts = driver.getKeyValueStore<string, number>('counts');
    expect([...counts.all()]).toEqual([
      { key: 'a', value: 3 },
      { key: 'b', value: 1 },
      { key: 'f', value: 2 },
    ]);
    expect(counts.get('f')).toBe(2);
    expect(counts.get('zzz')).toBeNull();
    expect([...counts.range('b', 'f')].map((e) => e.key)).toEqual(['b', 'f']);
    expect(counts.approximateNumEntries()).toBe(3);
    // each word lives in exactly one task's store
    const perTask = driver.getAllStateStores().get('counts')!;
    expect(perTask).toHaveLength(3);
    expect((driver.getTaskStore('counts', 1) as KeyValueStore<string, number>).get('a')).toBe(3);
    expect((driver.getTaskStore('counts', 0) as KeyValueStore<string, number>).get('a')).toBeNull();
    driver.close();
  });

  it('writes changelog records to the partition of the task that owns the store', () => {
    const logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('last'), S, S);
    const t = topology(
      [
        {
          id: 0,
          nodes: [
            source('src', ['in'], ['put']),
            processor(
              'put',
              () => {
                let store: KeyValueStore<string, string>;
                return {
                  init(c) {
                    store = c.getStateStore('last');
                  },
                  process(r) {
                    store.put(String(r.key), String(r.value));
                  },
                };
              },
              [],
              ['last'],
            ),
          ],
          storeNames: ['last'],
        },
      ],
      { stores: [logged as unknown as StoreBuilder<StateStore>] },
    );
    const driver = new TopologyTestDriver(t, { applicationId: 'app', partitions: { in: 3 } });
    const input = driver.createInputTopic('in', S, S);
    const changelog = driver.createOutputTopic('app-last-changelog', S, S);
    input.pipeInput('cherry', 'red', 5); // murmur2 % 3 = 2
    input.pipeInput('apple', 'green', 6); // 1
    expect(changelog.readRecordsToList().map((r) => [r.key, r.value, r.timestamp, r.partition])).toEqual([
      ['cherry', 'red', 5, 2],
      ['apple', 'green', 6, 1],
    ]);
    driver.close();
  });

  it('partitions piped records by murmur2 of the key, or as given', () => {
    const driver = new TopologyTestDriver(
      topology([
        {
          id: 0,
          nodes: [
            source('src', ['in'], ['p']),
            processor(
              'p',
              forwarding((ctx, r) =>
                ctx.forward(r.withValue(`${r.value}/${ctx.recordMetadata()?.partition}`)),
              ),
              ['out'],
            ),
            sink('out', 'out'),
          ],
        },
      ]),
      { partitions: { in: 4, out: 1 } },
    );
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    input.pipeInput('date', 'x'); // murmur2 % 4 = 3
    input.pipeInput('c', 'y'); // 2
    input.pipeRecord({ key: 'c', value: 'z', partition: 1 });
    input.pipeValue('n1'); // null keys: round-robin 0, 1
    input.pipeValue('n2');
    expect(out.readValuesToList()).toEqual(['x/3', 'y/2', 'z/1', 'n1/0', 'n2/1']);
    expect(() => input.pipeRecord({ key: 'c', value: 'z', partition: 4 })).toThrow(
      "Cannot pipe into partition 4 of topic 'in', which has 4 partition(s); configure more with TopologyTestDriver's partitions option",
    );
  });

  it('uses a configured partitioner', () => {
    const driver = new TopologyTestDriver(
      topology([{ id: 0, nodes: [source('src', ['in'], ['out']), sink('out', 'out')] }]),
      { defaultPartitions: 3, partitioner: (_t, key) => key.length % 3 },
    );
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    input.pipeInput('ab', 'v1');
    input.pipeInput('abc', 'v2');
    expect(out.readRecordsToList().map((r) => [r.key, r.partition])).toEqual([
      ['ab', 2],
      ['abc', 0],
    ]);
  });

  it('rejects co-partitioned topics with different partition counts', () => {
    const t = topology([{ id: 0, nodes: [source('src', ['left', 'right'], [])] }], {
      copartition: [['left', 'right']],
    });
    expect(() => new TopologyTestDriver(t, { partitions: { left: 2, right: 3 } })).toThrow(
      "Topics 'left' (2 partitions), 'right' (3 partitions) must be co-partitioned (joined or grouped together) but have different partition counts; give them the same count in the partitions option",
    );
  });
});

describe('TopologyTestDriver basics', () => {
  const passThrough = () =>
    topology([{ id: 0, nodes: [source('src', ['in'], ['out']), sink('out', 'out')] }]);

  it('passes headers, timestamps and tombstones through and reads records one at a time', () => {
    const driver = new TopologyTestDriver(passThrough());
    const input = driver.createInputTopic('in', S, S, { startTimestampMs: 1000, autoAdvanceMs: 10 });
    const out = driver.createOutputTopic('out', S, S);
    input.pipeInput('k', 'v', undefined, new Headers().add('h1', 'one').add('h2', null));
    input.pipeInput('k', null);
    input.pipeInput('k2', 'w', 5);
    expect(out.getQueueSize()).toBe(3);
    const first = out.readRecord();
    expect([first.key, first.value, first.timestamp, first.partition, first.offset]).toEqual([
      'k',
      'v',
      1000,
      0,
      0,
    ]);
    expect(first.headers.toArray().map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['h1', 'one'],
      ['h2', null],
    ]);
    expect(out.readKeyValue()).toEqual({ key: 'k', value: null });
    expect(out.readRecord().timestamp).toBe(5);
    expect(out.isEmpty()).toBe(true);
    expect(() => out.readValue()).toThrow(
      "Output topic 'out' has no more records; check isEmpty() or getQueueSize() before reading",
    );
  });

  it('decodes String output as Buffer.toString() does (invalid UTF-8, empty, null) and names failing serdes', () => {
    const driver = new TopologyTestDriver(passThrough());
    const B = Serdes.Bytes();
    const input = driver.createInputTopic('in', B, B);
    const bytes = [Buffer.from([0x61, 0xff, 0xc3]), Buffer.alloc(0), Buffer.from('é€😀', 'utf8')];
    for (const b of bytes) input.pipeInput(b, b);
    input.pipeInput(null, Buffer.from([1, 2, 3]));
    const out = driver.createOutputTopic('out', S, S);
    expect(out.readKeyValuesToList()).toEqual([
      ...bytes.map((b) => ({ key: b.toString(), value: b.toString() })),
      { key: null, value: '\u0001\u0002\u0003' },
    ]);
    input.pipeInput(Buffer.from('k'), Buffer.from([1, 2, 3]));
    expect(() => driver.createOutputTopic('out', S, Serdes.Int64()).readRecordsToList()).toThrow(
      "Output topic 'out' could not deserialize the value at partition 0 offset 4 with serde 'Int64'",
    );
  });

  it('reads key-values to a list and to a map (latest per key, tombstones remove)', () => {
    const driver = new TopologyTestDriver(passThrough());
    const input = driver.createInputTopic('in', S, S);
    const out = driver.createOutputTopic('out', S, S);
    input.pipeKeyValueList([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
    input.pipeKeyValueList([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
      { key: 'b', value: null },
    ]);
    expect(out.readKeyValuesToMap()).toEqual(new Map([['a', '3']]));
  });

  it('names the fix for unknown input and output topics and stores', () => {
    const driver = new TopologyTestDriver(passThrough());
    expect(() => driver.createInputTopic('nope', S, S)).toThrow(
      "No source of this topology reads topic 'nope' (sources read: 'in'); pipe into one of those, or add a source for 'nope' (e.g. builder.stream('nope'))",
    );
    expect(() => driver.createOutputTopic('nope', S, S)).toThrow(
      "No sink of this topology writes to topic 'nope' (sinks write to: 'out'); read one of those, or add a sink for 'nope' (e.g. stream.to('nope'))",
    );
    expect(() => driver.getKeyValueStore('nope')).toThrow(
      "This topology has no store named 'nope' (stores: none); name the store with Materialized.as(...) or Stores and use that name",
    );
    driver.close();
    expect(() => driver.createInputTopic('in', S, S)).toThrow(
      'The TopologyTestDriver is closed; create a new one',
    );
  });

  it('tells which getter fits a store of another kind', () => {
    const windows = Stores.windowStoreBuilder(
      Stores.inMemoryWindowStore('w', 100, 10, false),
      S,
      S,
    ).withLoggingDisabled();
    const t = topology([{ id: 0, nodes: [source('src', ['in'], [])], storeNames: ['w'] }], {
      stores: [windows as unknown as StoreBuilder<StateStore>],
    });
    const driver = new TopologyTestDriver(t);
    expect(() => driver.getKeyValueStore('w')).toThrow(
      "Store 'w' is a window store, not a key-value store; use getWindowStore('w')",
    );
    expect([...driver.getWindowStore<string, string>('w').all()]).toEqual([]);
    driver.close();
  });

  it('fires wall-clock punctuators at exact times from advanceWallClockTime', () => {
    const fired: number[] = [];
    const t = topology([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['p']),
          processor(
            'p',
            () => ({
              init(c) {
                c.schedule(1000, 'wall-clock', (ts) => {
                  fired.push(ts);
                  c.forward(new Record('tick', String(ts), ts));
                });
              },
              process() {},
            }),
            ['out'],
          ),
          sink('out', 'out'),
        ],
      },
    ]);
    const driver = new TopologyTestDriver(t, { initialWallClockTimeMs: 5000 });
    const out = driver.createOutputTopic('out', S, S);
    driver.advanceWallClockTime(999);
    expect(fired).toEqual([]);
    driver.advanceWallClockTime(1);
    driver.advanceWallClockTime(2500); // 8500: missed 7000 and 8000 collapse into one punctuation
    driver.advanceWallClockTime(500); // 9000: due 9500, nothing
    driver.advanceWallClockTime(500); // 9500
    expect(fired).toEqual([6000, 8500, 9500]);
    expect(out.readKeyValuesToList()).toEqual([
      { key: 'tick', value: '6000' },
      { key: 'tick', value: '8500' },
      { key: 'tick', value: '9500' },
    ]);
  });

  it('fires stream-time punctuators as piped timestamps advance, per task', () => {
    const fired: string[] = [];
    const t = topology([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['p']),
          processor('p', () => ({
            init(c) {
              c.schedule(10, 'stream-time', (ts) => fired.push(`${c.taskId}@${ts}`));
            },
            process() {},
          })),
        ],
      },
    ]);
    const driver = new TopologyTestDriver(t, { partitions: { in: 2 } });
    const input = driver.createInputTopic('in', S, S);
    input.pipeRecord({ key: 'x', value: '', timestamp: 3, partition: 0 });
    input.pipeRecord({ key: 'x', value: '', timestamp: 9, partition: 0 });
    input.pipeRecord({ key: 'x', value: '', timestamp: 12, partition: 1 });
    input.pipeRecord({ key: 'x', value: '', timestamp: 10, partition: 0 });
    input.pipeRecord({ key: 'x', value: '', timestamp: 35, partition: 0 });
    expect(fired).toEqual(['0_0@3', '0_1@12', '0_0@10', '0_0@35']);
  });

  it('waits max.task.idle.ms for an empty input partition of the same task', () => {
    const t = topology([{ id: 0, nodes: [source('src', ['left', 'right'], ['out']), sink('out', 'out')] }]);
    const driver = new TopologyTestDriver(t, { maxTaskIdleMs: 100 });
    const left = driver.createInputTopic('left', S, S);
    const right = driver.createInputTopic('right', S, S);
    const out = driver.createOutputTopic('out', S, S);
    left.pipeInput('k', 'L1', 20);
    expect(out.isEmpty()).toBe(true); // right is empty: wait
    right.pipeInput('k', 'R1', 10);
    // both buffered: the lower timestamp goes first; then right is empty again and L1 waits
    expect(out.readValuesToList()).toEqual(['R1']);
    left.pipeInput('k', 'L2', 30);
    driver.advanceWallClockTime(99);
    expect(out.isEmpty()).toBe(true);
    driver.advanceWallClockTime(1); // waited max.task.idle.ms: enforced processing
    expect(out.readValuesToList()).toEqual(['L1', 'L2']);
  });

  it('drops and counts negative timestamps when configured, fails by default', () => {
    const failing = new TopologyTestDriver(passThrough());
    expect(() => failing.createInputTopic('in', S, S).pipeInput('k', 'v', -1)).toThrow(
      "Record at topic 'in' partition 0 offset 0 has invalid timestamp -1 (source 'src')",
    );
    const dropping = new TopologyTestDriver(passThrough(), { negativeTimestamp: 'drop' });
    const input = dropping.createInputTopic('in', S, S);
    input.pipeInput('k', 'v', -1);
    input.pipeInput('k', 'w', 1);
    expect(dropping.createOutputTopic('out', S, S).readValuesToList()).toEqual(['w']);
  });
});
