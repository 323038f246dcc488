import { describe, expect, test } from 'vitest';
import {
  benchInput,
  inputValueOf,
  isFiltered,
  keyIndex,
  keyName,
  sentinelKey,
  tableValueOf,
  timestampOf,
} from '../src/sideBySide/benchInput.js';
import { outputChecker, type Workload } from '../src/sideBySide/checkOutput.js';

// A small input: 1,000 records over 50 keys, a 60-row table.
const input = benchInput(1_000, 50, 60, Date.UTC(2026, 0, 1));
type Out = [key: string, value: Buffer];

function check(workload: Workload, records: readonly Out[]) {
  const checker = outputChecker(input, workload);
  for (const [key, value] of records) checker.visit(Buffer.from(key), value);
  return checker.finish(records.length);
}

/** What a correct system writes for P1: every kept record (sentinels included), upper-cased. */
function p1(): Out[] {
  const out: Out[] = [];
  for (let i = 0; i < input.records + input.partitions; i++) {
    if (!isFiltered(i)) out.push(['k', Buffer.from(inputValueOf(i).toUpperCase())]);
  }
  return out;
}

/** P2 as a system with caching off writes it: every running count, as 8-byte big-endian longs. */
function p2(): Out[] {
  const counts = new Map<string, number>();
  const out: Out[] = [];
  const emit = (key: string) => {
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    const value = Buffer.alloc(8);
    value.writeBigInt64BE(BigInt(count));
    out.push([key, value]);
  };
  for (let i = 0; i < input.records; i++) emit(keyName(keyIndex(input, i)));
  for (let p = 0; p < input.partitions; p++) emit(sentinelKey(p));
  return out;
}

function p3(): Out[] {
  const windows = new Map<string, number>();
  for (let i = 0; i < input.records; i++) {
    const id = `${keyName(keyIndex(input, i))}@${Math.floor(timestampOf(input, i) / 60_000) * 60_000}`;
    windows.set(id, (windows.get(id) ?? 0) + 1);
  }
  return [...windows].map(([id, count]) => {
    const [key, start] = id.split('@') as [string, string];
    return [key, Buffer.from(`${start}:${count}`)];
  });
}

function p4(): Out[] {
  const out: Out[] = [];
  for (let i = 0; i < input.records; i++) {
    const k = keyIndex(input, i);
    out.push([keyName(k), Buffer.from(`${tableValueOf(k)}|${inputValueOf(i)}`)]);
  }
  return out;
}

describe('the side-by-side output checks', () => {
  test('P1 passes the exact output and fails a missing, a duplicated or a filtered record', () => {
    expect(check('p1', p1())).toMatchObject({ ok: true, outputRecords: 908 });
    expect(check('p1', p1().slice(1)).detail).toBe('1 of 908 kept records missing');
    const out = p1();
    expect(check('p1', [...out, out[5]!]).detail).toBe('1 duplicates');
    expect(check('p1', [...out, ['k', Buffer.from(inputValueOf(9).toUpperCase())]]).detail).toBe(
      '1 wrong records',
    );
    expect(check('p1', [...out.slice(1), ['k', Buffer.from(inputValueOf(0))]]).ok).toBe(false); // not upper-cased
  });

  test('P2 takes the last count per key and fails an over-count, naming its input partition', () => {
    expect(check('p2', p2())).toMatchObject({ ok: true, detail: 'exact final counts for all 58 keys' });
    const out = p2();
    const [key, last] = out.findLast(([k]) => k.startsWith('key-'))!;
    const over = Buffer.alloc(8);
    over.writeBigInt64BE(last.readBigInt64BE(0) + 2n);
    const k = Number(key.slice(4));
    expect(check('p2', [...out, [key, over]]).detail).toBe(
      `1 keys over-counted (by up to 2; input partitions ${k % 8})`,
    );
    expect(check('p2', out.slice(0, -1)).detail).toBe('1 keys under-counted or missing');
    // Decimal text (as Quix Streams writes counts) is read too.
    expect(
      check(
        'p2',
        out.map(([k, v]) => [k, Buffer.from(String(v.readBigInt64BE(0)))]),
      ).ok,
    ).toBe(true);
  });

  test('P3 wants each closed window once with its count, and no window of the sentinels', () => {
    const out = p3();
    expect(check('p3', out).ok).toBe(true);
    expect(check('p3', [...out, out[0]!]).detail).toBe('1 windows emitted more than once');
    expect(check('p3', out.slice(1)).detail).toBe(`1 of ${out.length} windows missing`);
    const sentinel: Out = [sentinelKey(0), Buffer.from(`${input.baseMs + input.spanMs + 600_000}:1`)];
    expect(check('p3', [...out, sentinel]).detail).toBe('1 unexpected windows');
  });

  test('P4 wants every record joined once with its own row', () => {
    const out = p4();
    expect(check('p4', out)).toMatchObject({ ok: true, outputRecords: 1_000 });
    const [key, value] = out[3]!;
    const wrongRow = Buffer.from(value.toString().replace(/^row-\d{8}/, 'row-00000059'));
    expect(check('p4', [...out.slice(0, 3), [key, wrongRow], ...out.slice(4)]).ok).toBe(false);
    expect(check('p4', out.slice(0, -1)).detail).toBe('1 of 1000 records not joined');
  });
});
