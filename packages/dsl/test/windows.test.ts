import { type Serde, Serdes, type Windowed } from '@tributary/core';
import type { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import {
  EmitStrategy,
  Materialized,
  Produced,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  TimeWindows,
} from '../src/index.js';
import { defaults, driverPerTest, I, S } from './driverHarness.js';

/** Keys starting with 'a' go to partition 0, others to partition 1 (input topics have 2 partitions). */
const byFirstLetter = (_topic: string, keyBytes: Buffer, n: number) => (keyBytes[0] === 0x61 ? 0 : 1 % n);

// Emit-on-close checks on every record (Kafka's 1000 ms wall-clock throttle has its own test).
const noThrottle = { ...defaults, windowedAggregationEmitIntervalMs: 0 };
const start = driverPerTest({ defaultPartitions: 2, partitions: { out: 1 }, partitioner: byFirstLetter });

/** `key@[start,end)` for compact expectations. */
function w(key: string, start: number, end: number): Windowed<string> {
  return { key, window: { start, end } };
}

function read<V>(d: TopologyTestDriver, keySerde: Serde<Windowed<string>>, valueSerde: Serde<V>) {
  return d
    .createOutputTopic('out', keySerde, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
}

function dropped(d: TopologyTestDriver): Record<string, number> {
  return Object.fromEntries([...d.taskMetrics()].map(([id, m]) => [id, m.droppedRecordsTotal]));
}

describe('time windows (tumbling and hopping)', () => {
  it('counts per epoch-aligned tumbling window, accepts records within grace, drops and counts later ones per task', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 1);
    pipe.pipeInput('a', 'x', 4);
    pipe.pipeInput('b', 'x', 30); // partition 1: its stream time does not close a's windows
    pipe.pipeInput('a', 'x', 12); // partition 0 stream time 12: windows ending <= 7 are closed
    pipe.pipeInput('a', 'x', 3); // [0,10) still open (10 > 7); the result keeps the max timestamp 4
    pipe.pipeInput('a', 'x', 16); // close time 11
    pipe.pipeInput('a', 'x', 9); // [0,10) closed: dropped
    pipe.pipeInput('b', 'x', 2); // partition 1 close time 25: [0,10) closed: dropped
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 0, 10), value: 1, timestamp: 1 },
      { key: w('a', 0, 10), value: 2, timestamp: 4 },
      { key: w('b', 30, 40), value: 1, timestamp: 30 },
      { key: w('a', 10, 20), value: 1, timestamp: 12 },
      { key: w('a', 0, 10), value: 3, timestamp: 4 },
      { key: w('a', 10, 20), value: 2, timestamp: 16 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1, '0_1': 1 });
  });

  it('puts a record into every hopping window containing it and drops it only for the closed ones', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5))
      .aggregate(
        () => '',
        (_k, v, agg) => agg + v,
        Materialized.as<string, string>('hops').withValueSerde(S),
      )
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), S));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'p', 7); // [0,10) and [5,15)
    pipe.pipeInput('a', 'q', 12); // [5,15) and [10,20); close time 12
    pipe.pipeInput('a', 'r', 9); // [0,10) closed (10 <= 12): dropped there; [5,15) still open
    expect(read(d, Serdes.TimeWindowed(S, 10), S)).toEqual([
      { key: w('a', 0, 10), value: 'p', timestamp: 7 },
      { key: w('a', 5, 15), value: 'p', timestamp: 7 },
      { key: w('a', 5, 15), value: 'pq', timestamp: 12 },
      { key: w('a', 10, 20), value: 'q', timestamp: 12 },
      { key: w('a', 5, 15), value: 'pqr', timestamp: 12 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1, '0_1': 0 });
    const store = d.getWindowStore<string, { value: string; timestamp: number }>('hops');
    expect(store.fetch('a', 5)).toEqual({ value: 'pqr', timestamp: 12 });
    expect(store.fetch('a', 0)).toEqual({ value: 'p', timestamp: 7 });
  });

  it('repartitions before windowing when the key changed, and reduces per window', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupBy((_k, v) => v.slice(0, 1))
      .windowedBy(TimeWindows.ofSizeWithNoGrace(100))
      .reduce((agg, v) => `${agg}+${v}`)
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 100), S));
    const topology = builder.build();
    expect([...topology.internalTopics.keys()].sort()).toEqual([
      'KSTREAM-REDUCE-STATE-STORE-0000000002-changelog',
      'KSTREAM-REDUCE-STATE-STORE-0000000002-repartition',
    ]);
    expect(topology.internalTopics.get('KSTREAM-REDUCE-STATE-STORE-0000000002-changelog')!.config).toEqual({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(100 + 24 * 60 * 60 * 1000),
    });
    const d = start(topology);
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('k1', 'a1', 10);
    pipe.pipeInput('k2', 'b1', 20);
    pipe.pipeInput('k3', 'a2', 30);
    pipe.pipeInput('k4', 'a3', 150);
    expect(read(d, Serdes.TimeWindowed(S, 100), S)).toEqual([
      { key: w('a', 0, 100), value: 'a1', timestamp: 10 },
      { key: w('b', 0, 100), value: 'b1', timestamp: 20 },
      { key: w('a', 0, 100), value: 'a1+a2', timestamp: 30 },
      { key: w('a', 100, 200), value: 'a3', timestamp: 150 },
    ]);
  });

  it('with caching and manual commits forwards one deduplicated result per window at commit', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { commit: 'manual' });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 5);
    pipe.pipeInput('a', 'x', 2);
    pipe.pipeInput('a', 'x', 8);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    d.commit();
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([{ key: w('a', 0, 10), value: 3, timestamp: 8 }]);
  });

  it('with caching disabled forwards every update even without commits', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count(Materialized.as<string, number>('counts').withCachingDisabled())
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { commit: 'manual' });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 5);
    pipe.pipeInput('a', 'x', 2);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 0, 10), value: 1, timestamp: 5 },
      { key: w('a', 0, 10), value: 2, timestamp: 5 },
    ]);
  });

  it('rejects a retention shorter than size + grace', () => {
    const builder = new StreamsBuilder(defaults);
    const windowed = builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5));
    expect(() => windowed.count(Materialized.as<string, number>('c').withRetention(14))).toThrow(
      /retention of window store 'c' is 14 ms, less than the window size plus grace \(15 ms\)/,
    );
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).toThrow(/must not exceed the window size/);
  });
});

describe('emit on window close', () => {
  it('forwards exactly one final result per window once stream time reaches end + grace', () => {
    const builder = new StreamsBuilder(noThrottle);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 2))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 1);
    pipe.pipeInput('b', 'x', 3);
    pipe.pipeInput('a', 'x', 8);
    pipe.pipeInput('a', 'x', 11); // close time 9: [0,10) still open
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    pipe.pipeInput('b', 'x', 12); // close time 10: [0,10) closes
    pipe.pipeInput('a', 'x', 9); // late: dropped
    pipe.pipeInput('b', 'x', 13);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 0, 10), value: 2, timestamp: 8 },
      { key: w('b', 0, 10), value: 1, timestamp: 3 },
    ]);
    pipe.pipeInput('a', 'x', 25); // close time 23: [10,20) closes
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 10, 20), value: 1, timestamp: 11 },
      { key: w('b', 10, 20), value: 2, timestamp: 13 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1 });
  });
});

describe('emit on window close: the wall-clock throttle', () => {
  it('checks for closed windows at most once per windowedAggregationEmitIntervalMs of wall-clock time (Kafka: 1000)', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 1); // the first check (wall clock 0) finds nothing closed; the next is due at 1000
    pipe.pipeInput('a', 'x', 12); // [0,10) closed, but the check is throttled
    pipe.pipeInput('a', 'x', 25);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    d.advanceWallClockTime(999);
    pipe.pipeInput('a', 'x', 26);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    d.advanceWallClockTime(1);
    // Wall clock 1000: the check runs. [0,10) and [10,20) are closed, but Kafka's store (retention size + grace
    // = 10, behind its latest window start 20) no longer returns [0,10): only [10,20) comes out.
    pipe.pipeInput('a', 'x', 27);
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 10, 20), value: 1, timestamp: 12 },
    ]);
    expect(() => new StreamsBuilder({ ...defaults, windowedAggregationEmitIntervalMs: -1 })).toThrow(
      /windowedAggregationEmitIntervalMs: -1.*whole number of milliseconds >= 0/,
    );
  });
});

describe('emit on window close (sliding windows)', () => {
  it('forwards each sliding window once stream time passes its (inclusive) end + grace', () => {
    const builder = new StreamsBuilder(noThrottle);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 15); // creates [5,15]
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    pipe.pipeInput('a', 'x', 20); // closes [5,15]; creates [16,26] and [10,20]
    pipe.pipeInput('a', 'x', 40); // closes [10,20] and [16,26]; creates [30,40]
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 5, 15), value: 1, timestamp: 15 },
      { key: w('a', 10, 20), value: 2, timestamp: 20 },
      { key: w('a', 16, 26), value: 1, timestamp: 20 },
    ]);
  });
});

describe('session windows', () => {
  it('merges two sessions through a bridging record, forwarding tombstones for the merged sessions', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10))
      .count(Materialized.as<string, number>('sessions'))
      .toStream()
      .to('out', Produced.with(Serdes.SessionWindowed(S), I));
    const d = start(builder.build());
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 0);
    pipe.pipeInput('a', 'x', 10); // 10 - 0 > gap: a second session
    pipe.pipeInput('b', 'x', 2); // partition 1, own sessions
    pipe.pipeInput('a', 'x', 5); // within the gap of both: they merge into [0,10]
    pipe.pipeInput('a', 'x', 30); // a new session; stream time 30, close time 30 - grace - gap = 15
    pipe.pipeInput('a', 'x', 3); // [0,10] has expired (retention gap + grace + 1 = 16); [3,3] ends before 15: dropped
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([
      { key: w('a', 0, 0), value: 1, timestamp: 0 },
      { key: w('a', 10, 10), value: 1, timestamp: 10 },
      { key: w('b', 2, 2), value: 1, timestamp: 2 },
      { key: w('a', 0, 0), value: null, timestamp: 0 },
      { key: w('a', 10, 10), value: null, timestamp: 10 },
      { key: w('a', 0, 10), value: 3, timestamp: 10 },
      { key: w('a', 30, 30), value: 1, timestamp: 30 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1, '0_1': 0 });
    const sessions = d.getSessionStore<string, number>('sessions');
    // [0,10] ended more than the retention (16) before the observed stream time 30: expired
    expect([...sessions.fetch('a')].map((e) => [e.key.window.start, e.key.window.end, e.value])).toEqual([
      [30, 30, 1],
    ]);
  });

  it('aggregates with a merger when a record bridges two sessions', () => {
    const builder = new StreamsBuilder(defaults);
    const sessions = builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 20));
    sessions
      .aggregate(
        () => '',
        (_k, v, agg) => agg + v,
        (_k, left, right) => `${left}|${right}`,
        Materialized.with<string, string>(S, S),
      )
      .toStream()
      .to('out', Produced.with(Serdes.SessionWindowed(S), S));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'p', 100);
    pipe.pipeInput('a', 'q', 120);
    pipe.pipeInput('a', 'r', 110);
    expect(read(d, Serdes.SessionWindowed(S), S)).toEqual([
      { key: w('a', 100, 100), value: 'p', timestamp: 100 },
      { key: w('a', 120, 120), value: 'q', timestamp: 120 },
      { key: w('a', 100, 100), value: null, timestamp: 100 },
      { key: w('a', 120, 120), value: null, timestamp: 120 },
      // initializer '' merged with [100,100] then [120,120], then the bridging record added
      { key: w('a', 100, 120), value: '|p|qr', timestamp: 120 },
    ]);
  });
});

describe('emit on window close (session windows)', () => {
  it('forwards each session once, when stream time passes its end + gap + grace', () => {
    const builder = new StreamsBuilder(noThrottle);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 2))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.SessionWindowed(S), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 0);
    pipe.pipeInput('b', 'x', 3);
    pipe.pipeInput('a', 'x', 4); // a: [0,4]
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([]);
    pipe.pipeInput('a', 'x', 11); // close time 11 - 2 - 5 = 4: b [3,3] closes (3 < 4), a [0,4] not yet
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([{ key: w('b', 3, 3), value: 1, timestamp: 3 }]);
    pipe.pipeInput('a', 'x', 12); // close time 5: a [0,4] closes; a: [11,12]
    pipe.pipeInput('a', 'x', 13); // a: [11,13]
    pipe.pipeInput('b', 'x', 1); // [1,1] ends before the close time 6: dropped
    pipe.pipeInput('d', 'x', 20); // close time 13: a [11,13] still open
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([{ key: w('a', 0, 4), value: 2, timestamp: 4 }]);
    pipe.pipeInput('d', 'x', 21); // close time 14: a [11,13] closes
    pipe.pipeInput('c', 'x', 30); // close time 23: d [20,21] closes
    pipe.pipeInput('c', 'x', 31); // nothing new closes; nothing is emitted twice
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([
      { key: w('a', 11, 13), value: 3, timestamp: 13 },
      { key: w('d', 20, 21), value: 2, timestamp: 21 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1 });
  });
});

describe('sliding windows', () => {
  it("creates left and right windows where records are, as Kafka Streams' SlidingWindows", () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 100))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 15);
    pipe.pipeInput('a', 'x', 20);
    pipe.pipeInput('a', 'x', 12); // out of order, within grace
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      // 15: its left window [5,15]
      { key: w('a', 5, 15), value: 1, timestamp: 15 },
      // 20: the right window of 15 ([16,26] holds only 20), then 20's left window [10,20] (15 and 20)
      { key: w('a', 16, 26), value: 1, timestamp: 20 },
      { key: w('a', 10, 20), value: 2, timestamp: 20 },
      // 12: joins [10,20] and [5,15] (latest start first, as Kafka), gets its left window [2,12] and its right
      // window [13,23] (15 and 20)
      { key: w('a', 10, 20), value: 3, timestamp: 20 },
      { key: w('a', 5, 15), value: 2, timestamp: 15 },
      { key: w('a', 2, 12), value: 1, timestamp: 12 },
      { key: w('a', 13, 23), value: 2, timestamp: 20 },
    ]);
  });

  it('puts early records (t < time difference) into [0, d] and drops records whose windows all closed', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d = start(builder.build(), { defaultPartitions: 1, partitions: {} });
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 3);
    pipe.pipeInput('a', 'x', 6);
    pipe.pipeInput('a', 'x', 40); // stream time 40
    pipe.pipeInput('a', 'x', 20); // 20 + 1 + 10 <= 40: dropped
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('a', 0, 10), value: 1, timestamp: 3 },
      // 6: the right window of 3 ([4,14]) holds 6; the combined window [0,10] holds both
      { key: w('a', 4, 14), value: 1, timestamp: 6 },
      { key: w('a', 0, 10), value: 2, timestamp: 6 },
      // 40: right window of 6 would be [7,17], which does not hold 40; left window [30,40]
      { key: w('a', 30, 40), value: 1, timestamp: 40 },
    ]);
    expect(dropped(d)).toEqual({ '0_0': 1 });
  });
});
