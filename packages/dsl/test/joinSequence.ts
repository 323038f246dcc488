import { Serdes } from '@tributary/core';
import type { TopologyTestDriver } from '@tributary/test-driver';

const S = Serdes.String();

/** Kafka Streams' join-semantics sequence (developer guide / wiki "Join Semantics"): timestamp, side, value. */
export const SEQUENCE: readonly (readonly [number, 'left' | 'right', string | null])[] = [
  [1, 'left', null],
  [2, 'right', null],
  [3, 'left', 'A'],
  [4, 'right', 'a'],
  [5, 'left', 'B'],
  [6, 'right', 'b'],
  [7, 'left', null],
  [8, 'right', null],
  [9, 'left', 'C'],
  [10, 'right', 'c'],
  [11, 'right', null],
  [12, 'left', null],
  [13, 'right', null],
  [14, 'right', 'd'],
  [15, 'left', 'D'],
];

/** The sequence runs once per key, interleaved, so that keys spread over the partitions. */
export const KEYS = ['k1', 'k2', 'k3', 'k4'];

export type Row = { key: string | null; value: string | null; timestamp: number };

/** Pipes `sequence` for every key: the value `A` becomes `A1` for `k1`, `A2` for `k2`, .... */
export function pipeSequence(
  d: TopologyTestDriver,
  leftTopic: string,
  rightTopic: string,
  sequence: readonly (readonly [number, 'left' | 'right', string | null])[] = SEQUENCE,
): void {
  const left = d.createInputTopic(leftTopic, S, S);
  const right = d.createInputTopic(rightTopic, S, S);
  for (const [ts, side, value] of sequence) {
    for (const key of KEYS) {
      const v = value === null ? null : `${value}${key.slice(1)}`;
      (side === 'left' ? left : right).pipeInput(key, v, ts);
    }
  }
}

/** Expected records per key, from rows written for key `k1` (`A1-a1`). */
export function expectedPerKey(rows: readonly (readonly [number, string | null])[]): Row[][] {
  return KEYS.map((key) =>
    rows.map(([timestamp, value]) => ({
      key,
      value: value === null ? null : value.replaceAll('1', key.slice(1)),
      timestamp,
    })),
  );
}

/** Records of `topic` grouped by key (in KEYS order), keeping each key's order. */
export function readPerKey(d: TopologyTestDriver, topic: string): Row[][] {
  const records = d
    .createOutputTopic(topic, S, S)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
  return KEYS.map((key) => records.filter((r) => r.key === key));
}

export const joiner = (l: string | null, r: string | null): string => `${l}-${r}`;
