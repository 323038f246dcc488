import { randomUUID } from 'node:crypto';
import { KafkaAdmin, KafkaConsumer } from '@tributary/kafka';
import {
  type BenchInput,
  inputValueOf,
  isFiltered,
  keyIndex,
  keyName,
  recordNumberOf,
  sentinelKey,
  tableValueOf,
  timestampOf,
} from './benchInput.js';

export type Workload = 'p1' | 'p2' | 'p3' | 'p4';

export interface CheckResult {
  readonly ok: boolean;
  /** Output records read (read_committed). */
  readonly outputRecords: number;
  /** What was wrong, or a short confirmation. */
  readonly detail: string;
}

type Visit = (key: Buffer | null, value: Buffer | null) => void;

/** Reads every committed record of `topic` (read_committed, from the beginning to the last stable offset). */
async function readAll(servers: string, topic: string, partitions: number, visit: Visit): Promise<number> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  let ends: number[];
  try {
    ends = await admin.endOffsets(topic, 'read_committed');
  } finally {
    admin.close();
  }
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': `bench-check-${randomUUID()}`,
    'isolation.level': 'read_committed',
    'auto.offset.reset': 'earliest',
    'fetch.max.bytes': 52_428_800,
  });
  let read = 0;
  try {
    const all = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    consumer.assign(all.map((tp) => ({ ...tp, offset: 0 })));
    // The consumer's position moves past transaction markers too, so it reaches the end offset (the last stable
    // offset) even when the last offset of a partition is a commit marker rather than a record.
    const done = () =>
      consumer
        .position(all)
        .every((p) => (ends[p.partition] ?? 0) === 0 || p.offset >= (ends[p.partition] ?? 0));
    let idle = 0;
    while (!done()) {
      const batch = await consumer.poll(10_000, 500);
      if (batch.length === 0 && ++idle > 60)
        throw new Error(`reading ${topic} stalled for 30 s before its end`);
      for (const r of batch) {
        visit(r.key, r.value);
        read++;
      }
    }
  } finally {
    await consumer.close();
  }
  return read;
}

function decodeCount(value: Buffer | null): number {
  if (value === null) return Number.NaN;
  if (value.length === 8) return Number(value.readBigInt64BE(0));
  return Number(value.toString());
}

function fail(outputRecords: number, problems: string[], ok: string): CheckResult {
  return problems.length === 0
    ? { ok: true, outputRecords, detail: ok }
    : { ok: false, outputRecords, detail: problems.slice(0, 3).join('; ') };
}

/** Checks one workload's output: told every output record (`visit`), then the number read (`finish`). */
export interface OutputChecker {
  visit(key: Buffer | null, value: Buffer | null): void;
  finish(outputRecords: number): CheckResult;
}

/** P1: every kept record exactly once, upper-cased; none of the filtered ones. */
function checkP1(input: BenchInput): OutputChecker {
  const total = input.records + input.partitions;
  const seen = new Uint32Array(total);
  let wrong = 0;
  let duplicates = 0;
  const visit = (_key: Buffer | null, value: Buffer | null) => {
    const text = value?.toString() ?? '';
    const i = recordNumberOf(text);
    if (!(i >= 0 && i < total) || isFiltered(i) || text !== inputValueOf(i).toUpperCase()) wrong++;
    else {
      seen[i] = (seen[i] ?? 0) + 1;
      if (seen[i] > 1) duplicates++;
    }
  };
  const finish = (read: number) => {
    let expected = 0;
    let missing = 0;
    for (let i = 0; i < total; i++) {
      if (isFiltered(i)) continue;
      expected++;
      if (seen[i] === 0) missing++;
    }
    const problems = [];
    if (missing > 0) problems.push(`${missing} of ${expected} kept records missing`);
    if (duplicates > 0) problems.push(`${duplicates} duplicates`);
    if (wrong > 0) problems.push(`${wrong} wrong records`);
    return fail(read, problems, `all ${expected} kept records once, upper-cased`);
  };
  return { visit, finish };
}

/** P2: the last count written per key equals the number of input records of that key. */
function checkP2(input: BenchInput): OutputChecker {
  const expected = new Map<string, number>();
  for (let i = 0; i < input.records; i++) {
    const key = keyName(keyIndex(input, i));
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  for (let p = 0; p < input.partitions; p++) expected.set(sentinelKey(p), 1);
  const last = new Map<string, number>();
  const visit = (key: Buffer | null, value: Buffer | null) => {
    last.set(key?.toString() ?? '', decodeCount(value));
  };
  const finish = (read: number) => {
    let over = 0;
    let under = 0;
    let maxOver = 0;
    const overPartitions = new Set<number>();
    for (const [key, count] of expected) {
      const got = last.get(key) ?? 0;
      if (got > count) {
        over++;
        maxOver = Math.max(maxOver, got - count);
        if (key.startsWith('key-')) overPartitions.add(Number(key.slice(4)) % input.partitions);
      } else if (got < count) under++;
    }
    const extra = [...last.keys()].filter((k) => !expected.has(k)).length;
    const problems = [];
    if (over > 0) {
      const on = [...overPartitions].sort((a, b) => a - b).join(', ');
      problems.push(`${over} keys over-counted (by up to ${maxOver}; input partitions ${on})`);
    }
    if (under > 0) problems.push(`${under} keys under-counted or missing`);
    if (extra > 0) problems.push(`${extra} unknown keys`);
    return fail(read, problems, `exact final counts for all ${expected.size} keys`);
  };
  return { visit, finish };
}

/** P3: exactly one record per (key, one-minute window) of the data, with the exact count; sentinels' windows stay open. */
function checkP3(input: BenchInput): OutputChecker {
  const expected = new Map<string, number>();
  for (let i = 0; i < input.records; i++) {
    const start = Math.floor(timestampOf(input, i) / 60_000) * 60_000;
    const id = `${keyName(keyIndex(input, i))}@${start}`;
    expected.set(id, (expected.get(id) ?? 0) + 1);
  }
  const got = new Map<string, number>();
  let duplicates = 0;
  let malformed = 0;
  const visit = (key: Buffer | null, value: Buffer | null) => {
    const [start, count] = (value?.toString() ?? '').split(':');
    if (start === undefined || count === undefined) {
      malformed++;
      return;
    }
    const id = `${key?.toString()}@${start}`;
    if (got.has(id)) duplicates++;
    got.set(id, Number(count));
  };
  const finish = (read: number) => {
    let wrong = 0;
    let missing = 0;
    for (const [id, count] of expected) {
      const g = got.get(id);
      if (g === undefined) missing++;
      else if (g !== count) wrong++;
    }
    const extra = [...got.keys()].filter((id) => !expected.has(id)).length;
    const problems = [];
    if (missing > 0) problems.push(`${missing} of ${expected.size} windows missing`);
    if (wrong > 0) problems.push(`${wrong} windows with a wrong count`);
    if (duplicates > 0) problems.push(`${duplicates} windows emitted more than once`);
    if (extra > 0) problems.push(`${extra} unexpected windows`);
    if (malformed > 0) problems.push(`${malformed} malformed records`);
    return fail(read, problems, `all ${expected.size} closed windows once, exact counts`);
  };
  return { visit, finish };
}

/** P4: every data record exactly once, joined with its key's table row (sentinels have no row: dropped). */
function checkP4(input: BenchInput): OutputChecker {
  const seen = new Uint32Array(input.records);
  let wrong = 0;
  let duplicates = 0;
  const visit = (key: Buffer | null, value: Buffer | null) => {
    const text = value?.toString() ?? '';
    const bar = text.indexOf('|');
    const streamPart = text.slice(bar + 1);
    const i = recordNumberOf(streamPart);
    if (!(i >= 0 && i < input.records) || bar < 0) {
      wrong++;
      return;
    }
    const k = keyIndex(input, i);
    if (
      key?.toString() !== keyName(k) ||
      streamPart !== inputValueOf(i) ||
      text.slice(0, bar) !== tableValueOf(k)
    ) {
      wrong++;
    } else {
      seen[i] = (seen[i] ?? 0) + 1;
      if (seen[i] > 1) duplicates++;
    }
  };
  const finish = (read: number) => {
    let missing = 0;
    for (let i = 0; i < input.records; i++) if (seen[i] === 0) missing++;
    const problems = [];
    if (missing > 0) problems.push(`${missing} of ${input.records} records not joined`);
    if (duplicates > 0) problems.push(`${duplicates} duplicates`);
    if (wrong > 0) problems.push(`${wrong} wrong joins`);
    return fail(read, problems, `all ${input.records} records joined once with their row`);
  };
  return { visit, finish };
}

/** The exact check of a workload's output, computed from the input generator alone. */
export function outputChecker(input: BenchInput, workload: Workload): OutputChecker {
  switch (workload) {
    case 'p1':
      return checkP1(input);
    case 'p2':
      return checkP2(input);
    case 'p3':
      return checkP3(input);
    case 'p4':
      return checkP4(input);
  }
}

/** Reads all of `topic` (read_committed) through the workload's checker. */
export async function checkOutput(
  servers: string,
  input: BenchInput,
  workload: Workload,
  topic: string,
): Promise<CheckResult> {
  const checker = outputChecker(input, workload);
  const read = await readAll(servers, topic, input.partitions, (key, value) => checker.visit(key, value));
  return checker.finish(read);
}
