import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  BufferConfig,
  Grouped,
  Materialized,
  Produced,
  SessionWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
} from '../src/index.js';
import { childrenNeedOldValues } from '../src/internal/childrenNeedOldValues.js';
import { defaults, driverPerTest, S } from './driverHarness.js';

const start = driverPerTest();

describe('old values of aggregations (sendOldValues)', () => {
  it('are not needed when every child of the table is toStream(), and are when another operation follows', () => {
    const builder = new StreamsBuilder(defaults);
    const grouped = builder.stream<string, string>('in').groupByKey(Grouped.with(S, S));
    const toStreamOnly = grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count();
    toStreamOnly.toStream().to('a');
    toStreamOnly.toStream().to('b');
    // A filter passes old values on only when its own children need them (Kafka's enableSendingOldValues).
    const filtered = grouped.count(Materialized.as('kv-counts'));
    filtered.filter((_k, v) => v > 1).suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()));
    filtered.toStream();
    const filteredToStream = grouped.count(Materialized.as('kv-counts-2'));
    filteredToStream
      .filter((_k, v) => v > 1)
      .mapValues((v) => v + 1)
      .toStream();
    const suppressed = grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5)).count();
    suppressed.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()));
    const unused = grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(20)).count();
    expect(childrenNeedOldValues(toStreamOnly.node)).toBe(false);
    expect(childrenNeedOldValues(filtered.node)).toBe(true);
    expect(childrenNeedOldValues(filteredToStream.node)).toBe(false);
    expect(childrenNeedOldValues(suppressed.node)).toBe(true);
    expect(childrenNeedOldValues(unused.node)).toBe(false);
  });

  it('a windowed count gives the same results read through toStream() as through a filter that needs old values', () => {
    const builder = new StreamsBuilder(defaults);
    const counts = builder
      .stream<string, string>('in')
      .groupByKey(Grouped.with(S, S))
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .count();
    const W = Serdes.TimeWindowed(S, 10);
    counts.toStream().to('plain', Produced.with(W, Serdes.Int64()));
    counts
      .filter(() => true)
      .toStream()
      .to('filtered', Produced.with(W, Serdes.Int64()));
    const driver = start(builder.build());
    const input = driver.createInputTopic('in', S, S);
    for (const [key, ts] of [
      ['a', 1],
      ['b', 2],
      ['a', 3],
      ['a', 12],
      ['b', 13],
    ] as const) {
      input.pipeInput(key, 'v', ts);
    }
    const plain = driver.createOutputTopic('plain', W, Serdes.Int64()).readKeyValuesToList();
    const filtered = driver.createOutputTopic('filtered', W, Serdes.Int64()).readKeyValuesToList();
    expect(plain).toEqual([
      { key: { key: 'a', window: { start: 0, end: 10 } }, value: 1 },
      { key: { key: 'b', window: { start: 0, end: 10 } }, value: 1 },
      { key: { key: 'a', window: { start: 0, end: 10 } }, value: 2 },
      { key: { key: 'a', window: { start: 10, end: 20 } }, value: 1 },
      { key: { key: 'b', window: { start: 10, end: 20 } }, value: 1 },
    ]);
    expect(filtered).toEqual(plain);
  });
});
