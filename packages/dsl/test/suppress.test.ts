import { type Serde, Serdes, StreamsError, type Windowed } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BufferConfig,
  Materialized,
  Produced,
  SessionWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type Topology,
} from '../src/index.js';
import { storeDefaults } from './driverHarness.js';

const S = Serdes.String();
const I = Serdes.Int64();
const defaults = { defaultKeySerde: S, defaultValueSerde: S, ...storeDefaults };

let driver: TopologyTestDriver | undefined;
afterEach(() => {
  driver?.close();
  driver = undefined;
});

/** Keys starting with 'a' go to partition 0, others to partition 1. */
const byFirstLetter = (_topic: string, keyBytes: Buffer, n: number) => (keyBytes[0] === 0x61 ? 0 : 1 % n);

function start(topology: Topology, defaultPartitions = 2) {
  driver = new TopologyTestDriver(topology, {
    defaultPartitions,
    partitions: { out: 1 },
    partitioner: byFirstLetter,
  });
  return driver;
}

function w(key: string, start: number, end: number): Windowed<string> {
  return { key, window: { start, end } };
}

function read<K, V>(d: TopologyTestDriver, keySerde: Serde<K>, valueSerde: Serde<V>) {
  return d
    .createOutputTopic('out', keySerde, valueSerde)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
}

describe('suppress', () => {
  it('untilWindowCloses forwards exactly one final result per window, per task, once end + grace is reached', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const topology = builder.build();
    expect(topology.internalTopics.get('KTABLE-SUPPRESS-STATE-STORE-0000000004-changelog')?.kind).toBe(
      'changelog',
    );
    const d = start(topology);
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 1);
    pipe.pipeInput('a', 'x', 4);
    pipe.pipeInput('b', 'x', 2);
    pipe.pipeInput('a', 'x', 12);
    pipe.pipeInput('b', 'x', 14); // partition 1 suppress time 14: [0,10) is due at 10 + 5 = 15
    pipe.pipeInput('a', 'x', 3); // still within grace: [0,10) becomes 3 (timestamp stays 4)
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([]);
    pipe.pipeInput('b', 'x', 15); // b's [0,10) closes
    pipe.pipeInput('a', 'x', 16); // a's [0,10) closes
    pipe.pipeInput('a', 'x', 9); // late: dropped by the aggregation, nothing reaches suppress
    pipe.pipeInput('a', 'x', 30); // a's [10,20) closes
    expect(read(d, Serdes.TimeWindowed(S, 10), I)).toEqual([
      { key: w('b', 0, 10), value: 1, timestamp: 2 },
      { key: w('a', 0, 10), value: 3, timestamp: 4 },
      { key: w('a', 10, 20), value: 2, timestamp: 16 },
    ]);
    expect(d.taskMetrics().get('0_0')!.droppedRecordsTotal).toBe(1);
  });

  it('untilWindowCloses on sessions waits for end + gap + grace', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 2))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('out', Produced.with(Serdes.SessionWindowed(S), I));
    const d = start(builder.build(), 1);
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 10);
    pipe.pipeInput('a', 'x', 13); // session [10,13]; the merged-away [10,10] tombstone is dropped by suppress
    pipe.pipeInput('b', 'x', 19); // 19 < 13 + 5 + 2
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([]);
    pipe.pipeInput('b', 'x', 20); // reaches 20: [10,13] is final
    expect(read(d, Serdes.SessionWindowed(S), I)).toEqual([{ key: w('a', 10, 13), value: 2, timestamp: 13 }]);
  });

  it('untilTimeLimit forwards the latest value of a key once the limit passed since its first held update', () => {
    const builder = new StreamsBuilder(defaults);
    builder
      .stream<string, string>('in')
      .groupByKey()
      .count(Materialized.as<string, number>('counts'))
      .suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()).withName('rate-limit'))
      .toStream()
      .to('out', Produced.with(S, I));
    const topology = builder.build();
    expect(topology.internalTopics.has('rate-limit-store-changelog')).toBe(true);
    const d = start(topology, 1);
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 0);
    pipe.pipeInput('a', 'x', 5);
    pipe.pipeInput('b', 'x', 8);
    pipe.pipeInput('a', 'x', 10); // a held since 0: due
    pipe.pipeInput('a', 'x', 12); // held again, since 12
    pipe.pipeInput('b', 'x', 20); // b held since 8: due; a (12) is not
    expect(read(d, S, I)).toEqual([
      { key: 'a', value: 3, timestamp: 10 },
      { key: 'b', value: 2, timestamp: 20 },
    ]);
  });

  it('a bounded buffer emits its oldest keys early when full, or fails the task when told to shut down', () => {
    const early = new StreamsBuilder(defaults);
    early
      .stream<string, string>('in')
      .groupByKey()
      .count()
      .suppress(Suppressed.untilTimeLimit(100, BufferConfig.maxRecords(1)))
      .toStream()
      .to('out', Produced.with(S, I));
    const d = start(early.build(), 1);
    const pipe = d.createInputTopic('in', S, S);
    pipe.pipeInput('a', 'x', 0);
    pipe.pipeInput('b', 'x', 1);
    pipe.pipeInput('c', 'x', 2);
    expect(read(d, S, I)).toEqual([
      { key: 'a', value: 1, timestamp: 0 },
      { key: 'b', value: 1, timestamp: 1 },
    ]);
    d.close();

    const strict = new StreamsBuilder(defaults);
    strict
      .stream<string, string>('in')
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.maxRecords(1).shutDownWhenFull()))
      .toStream()
      .to('out', Produced.with(Serdes.TimeWindowed(S, 10), I));
    const d2 = start(strict.build(), 1);
    const pipe2 = d2.createInputTopic('in', S, S);
    pipe2.pipeInput('a', 'x', 1);
    expect(() => pipe2.pipeInput('b', 'x', 2)).toThrow(StreamsError);
  });

  it('rejects untilWindowCloses on a table that is not windowed, and an eager buffer for final results', () => {
    const builder = new StreamsBuilder(defaults);
    const table = builder.stream<string, string>('in').groupByKey().count();
    expect(() => table.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))).toThrow(
      /untilWindowCloses needs a table produced by a windowed aggregation/,
    );
    expect(() => Suppressed.untilWindowCloses(BufferConfig.maxRecords(5))).toThrow(/needs a strict buffer/);
  });
});
