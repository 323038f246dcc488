import { describe, expect, it } from 'vitest';
import { JoinWindows, StreamJoined, StreamsBuilder } from '../src/index.js';
import { defaults, driverPerTest, S } from './driverHarness.js';
import { expectedPerKey, joiner, pipeSequence, readPerKey, SEQUENCE } from './joinSequence.js';

const start = driverPerTest();

/** The wiki's sequence for the improved (3.1+) left/outer semantics: 1..15, then records far apart. */
const EXTENDED = [
  ...SEQUENCE,
  [40, 'left', 'E'],
  [60, 'left', 'F'],
  [80, 'right', 'f'],
  [100, 'left', 'G'],
] as const;

function streams(
  kind: 'join' | 'leftJoin' | 'outerJoin',
  windows = JoinWindows.ofTimeDifferenceWithNoGrace(15),
) {
  // Unjoined records checked at every record (Kafka's 1000 ms wall-clock throttle has its own test).
  const builder = new StreamsBuilder({ ...defaults, outerJoinEmitIntervalMs: 0 });
  const left = builder.stream<string, string>('left');
  const right = builder.stream<string, string>('right');
  const joined =
    kind === 'join'
      ? left.join(right, joiner, windows)
      : kind === 'leftJoin'
        ? left.leftJoin(right, joiner, windows)
        : left.outerJoin(right, joiner, windows);
  joined.to('out');
  return builder.build();
}

const INNER: [number, string][] = [
  [4, 'A1-a1'],
  [5, 'B1-a1'],
  [6, 'A1-b1'],
  [6, 'B1-b1'],
  [9, 'C1-a1'],
  [9, 'C1-b1'],
  [10, 'A1-c1'],
  [10, 'B1-c1'],
  [10, 'C1-c1'],
  [14, 'A1-d1'],
  [14, 'B1-d1'],
  [14, 'C1-d1'],
  [15, 'D1-a1'],
  [15, 'D1-b1'],
  [15, 'D1-c1'],
  [15, 'D1-d1'],
];

describe('KStream-KStream joins through the driver (3 partitions)', () => {
  it('inner join: the semantics table of Kafka Streams, record by record (timestamp = the larger one)', () => {
    const d = start(streams('join'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right', EXTENDED);
    expect(readPerKey(d, 'out')).toEqual(expectedPerKey(INNER));
  });

  it('left join: no spurious A-null; unmatched left records emitted when their window closes', () => {
    const d = start(streams('leftJoin'), { defaultPartitions: 3 });
    const left = d.createInputTopic('left', S, S);
    pipeSequence(d, 'left', 'right', EXTENDED.slice(0, 16));
    expect(readPerKey(d, 'out')).toEqual(expectedPerKey(INNER));
    left.pipeInput('k1', 'F1', 60);
    // E1 (at 40) is emitted once stream time passes 40 + 15; the task of k1 only.
    expect(readPerKey(d, 'out')).toEqual([[{ key: 'k1', value: 'E1-null', timestamp: 40 }], [], [], []]);
  });

  it('left join: the full sequence including the records far apart', () => {
    const d = start(streams('leftJoin'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right', EXTENDED);
    expect(readPerKey(d, 'out')).toEqual(expectedPerKey([...INNER, [40, 'E1-null'], [60, 'F1-null']]));
  });

  it('outer join: the full sequence including the records far apart', () => {
    const d = start(streams('outerJoin'), { defaultPartitions: 3 });
    pipeSequence(d, 'left', 'right', EXTENDED);
    expect(readPerKey(d, 'out')).toEqual(
      expectedPerKey([...INNER, [40, 'E1-null'], [60, 'F1-null'], [80, 'null-f1']]),
    );
  });

  it('grace keeps a window open for out-of-order records and delays the outer result', () => {
    // One partition: stream time is per task, and the 'x' records must advance the task of 'k'.
    const d = start(streams('outerJoin', JoinWindows.ofTimeDifferenceAndGrace(10, 5)));
    const left = d.createInputTopic('left', S, S);
    const right = d.createInputTopic('right', S, S);
    left.pipeInput('k', 'L1', 100);
    right.pipeInput('k', 'R1', 112); // 12 apart: no join; L1 waits
    left.pipeInput('x', 'X', 114); // stream time 114 <= 100 + 10 + 5: L1's window still open
    right.pipeInput('k', 'R0', 95); // out of order, within L1's window
    left.pipeInput('x', 'Y', 116); // 116 > 115: L1's window closed, but L1 matched R0
    left.pipeInput('x', 'Z', 130); // R1's (112 + 10 + 5) and X's (114 + 10 + 5) windows closed, Y's not
    const out = d
      .createOutputTopic('out', S, S)
      .readRecordsToList()
      .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
    expect(out).toEqual([
      { key: 'k', value: 'L1-R0', timestamp: 100 },
      { key: 'k', value: 'null-R1', timestamp: 112 },
      { key: 'x', value: 'X-null', timestamp: 114 },
    ]);
  });

  it('forwards a left record at once when its window is already past, and joins a null-key record with null', () => {
    const d = start(streams('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(10)));
    const left = d.createInputTopic('left', S, S);
    left.pipeInput('a', 'late?', 100);
    left.pipeInput('b', 'old', 50); // 50 + 10 < stream time 100: emitted immediately
    left.pipeValue('nokey', 101);
    const out = d
      .createOutputTopic('out', S, S)
      .readRecordsToList()
      .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
    expect(out).toEqual([
      { key: 'b', value: 'old-null', timestamp: 50 },
      { key: null, value: 'nokey-null', timestamp: 101 },
    ]);
  });

  it('checks for unjoined records at most once per outerJoinEmitIntervalMs of wall-clock time (Kafka: 1000)', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('left')
      .leftJoin(builder.stream<string, string>('right'), joiner, JoinWindows.ofTimeDifferenceWithNoGrace(5))
      .to('out');
    const d = start(builder.build());
    const left = d.createInputTopic('left', S, S);
    const out = () =>
      d
        .createOutputTopic('out', S, S)
        .readRecordsToList()
        .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
    // As Kafka: with nothing waiting yet, the first record already runs a (empty) scan at wall clock 0 (Kafka's
    // check overflows), so the next scan is due at wall clock 1000.
    left.pipeInput('a', 'A', 1);
    left.pipeInput('b', 'B', 20); // a's window closed, but the scan is throttled
    expect(out()).toEqual([]);
    d.advanceWallClockTime(1000);
    left.pipeInput('c', 'C', 40); // wall clock 1000: a and b come out; the next scan is due at 2000
    expect(out()).toEqual([
      { key: 'a', value: 'A-null', timestamp: 1 },
      { key: 'b', value: 'B-null', timestamp: 20 },
    ]);
    left.pipeInput('d', 'D', 60);
    expect(out()).toEqual([]);
    d.advanceWallClockTime(1000);
    left.pipeInput('e', 'E', 61); // wall clock 2000: c comes out; d's window (60 + 5) is still open
    expect(out()).toEqual([{ key: 'c', value: 'C-null', timestamp: 40 }]);
    expect(() => new StreamsBuilder({ ...defaults, outerJoinEmitIntervalMs: 1.5 })).toThrow(
      /outerJoinEmitIntervalMs: 1.5.*whole number of milliseconds >= 0/,
    );
  });

  it('lays the join out as Kafka Streams does, with window stores retaining duplicates', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.stream<string, string>('left');
    const right = builder.stream<string, string>('right');
    left.outerJoin(right, joiner, JoinWindows.ofTimeDifferenceAndGrace(100, 50)).to('out');
    const topology = builder.build();
    expect([...topology.subtopologies[0]!.nodes.keys()]).toEqual([
      'KSTREAM-SOURCE-0000000000',
      'KSTREAM-SOURCE-0000000001',
      'KSTREAM-WINDOWED-0000000002',
      'KSTREAM-WINDOWED-0000000003',
      'KSTREAM-OUTERTHIS-0000000004',
      'KSTREAM-OUTEROTHER-0000000005',
      'KSTREAM-MERGE-0000000006',
      'KSTREAM-SINK-0000000007',
    ]);
    expect(topology.subtopologies[0]!.storeNames).toEqual([
      'KSTREAM-OUTERTHIS-0000000004-store',
      'KSTREAM-OUTEROTHER-0000000005-store',
      'KSTREAM-OUTERSHARED-0000000004-store',
    ]);
    const store = topology.storeBuilders.get('KSTREAM-OUTERTHIS-0000000004-store')!.build() as unknown as {
      retentionMs: number;
      windowSizeMs: number;
    };
    expect([store.retentionMs, store.windowSizeMs]).toEqual([250, 200]);
    expect(topology.internalTopics.get('KSTREAM-OUTERTHIS-0000000004-store-changelog')?.config).toEqual({
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(250 + 24 * 60 * 60 * 1000),
    });
  });

  it('repartitions both re-keyed sides (StreamJoined names) and names stores after the store name', () => {
    const builder = new StreamsBuilder(defaults);
    const left = builder.stream<string, string>('orders').selectKey((_k, v) => v.split(':')[0]!);
    const right = builder.stream<string, string>('payments').selectKey((_k, v) => v.split(':')[0]!);
    left
      .join(
        right,
        (o, p) => `${o}|${p}`,
        JoinWindows.ofTimeDifferenceWithNoGrace(1000),
        StreamJoined.with(S, S, S).withName('pay').withStoreName('paystore'),
      )
      .to('out');
    const topology = builder.build();
    expect([...topology.internalTopics.keys()].sort()).toEqual([
      'pay-left-repartition',
      'pay-right-repartition',
      'paystore-other-join-store-changelog',
      'paystore-this-join-store-changelog',
    ]);
    expect(topology.copartitionGroups).toContainEqual([
      'pay-left-repartition',
      'pay-right-repartition',
      'paystore-this-join-store-changelog',
      'paystore-other-join-store-changelog',
    ]);
    const d = start(topology, { partitions: { orders: 2, payments: 3 } });
    d.createInputTopic('orders', S, S).pipeInput('o1', 'c1:order', 10);
    d.createInputTopic('payments', S, S).pipeInput('p1', 'c1:paid', 20);
    d.createInputTopic('payments', S, S).pipeInput('p2', 'c2:paid', 21);
    const out = d
      .createOutputTopic('out', S, S)
      .readRecordsToList()
      .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
    expect(out).toEqual([{ key: 'c1', value: 'c1:order|c1:paid', timestamp: 20 }]);
  });
});
