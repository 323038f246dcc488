/**
 * The input every system of the side-by-side benchmark reads, generated from record numbers alone, so the
 * expected output of every workload is computed here instead of trusted from any system.
 *
 * Record i (0 ≤ i < records): key `key-<k>` with k a fixed scatter of i over `keys` keys, on partition k % 8; a
 * 100-byte value that starts with `#` for every tenth record (the records P1 filters out); timestamp
 * `baseMs + i × spanMs / records` (ten one-minute windows). After them, one sentinel per partition with a
 * timestamp ten minutes past the end, which closes every window of P3 (the sentinels' own windows never close).
 * The table of P4: rows 0..tableRows-1, key `key-<row>` on partition row % 8, timestamps an hour before baseMs.
 */
export interface BenchInput {
  readonly records: number;
  readonly keys: number;
  readonly tableRows: number;
  readonly partitions: number;
  readonly baseMs: number;
  readonly spanMs: number;
}

export const PARTITIONS = 8;
export const SPAN_MS = 10 * 60_000;
const PAD = 'abcdefghij'.repeat(10);

export function benchInput(records: number, keys: number, tableRows: number, now = Date.now()): BenchInput {
  if (tableRows < keys) throw new Error(`the P4 table (${tableRows} rows) must hold every key (${keys})`);
  // Two hours back, on a minute boundary: inside the broker's retention, and windows start on the minute.
  const baseMs = Math.floor((now - 2 * 3_600_000) / 60_000) * 60_000;
  return { records, keys, tableRows, partitions: PARTITIONS, baseMs, spanMs: SPAN_MS };
}

export function keyIndex(input: BenchInput, i: number): number {
  return (Math.imul(i, 0x9e3779b1) >>> 0) % input.keys;
}

export function keyName(k: number): string {
  return `key-${String(k).padStart(8, '0')}`;
}

export function isFiltered(i: number): boolean {
  return i % 10 === 9;
}

export function inputValueOf(i: number): string {
  const head = `${isFiltered(i) ? '#' : 'v'}-${String(i).padStart(10, '0')}-`;
  return head + PAD.slice(0, 100 - head.length);
}

/** The record number a value (or its upper-cased form) was made from. */
export function recordNumberOf(value: string): number {
  return Number(value.slice(2, 12));
}

export function timestampOf(input: BenchInput, i: number): number {
  return input.baseMs + Math.floor((i * input.spanMs) / input.records);
}

export function sentinelKey(partition: number): string {
  return `sentinel-${partition}`;
}

export function sentinelTimestamp(input: BenchInput): number {
  return input.baseMs + input.spanMs + 10 * 60_000;
}

/** 100 bytes per table row. */
export function tableValueOf(row: number): string {
  const head = `row-${String(row).padStart(8, '0')}-`;
  return head + PAD.slice(0, 100 - head.length);
}

export function tableTimestamp(input: BenchInput): number {
  return input.baseMs - 3_600_000;
}

/** Input records including the sentinels: what a system must have consumed (and committed) to be done. */
export function inputTotal(input: BenchInput): number {
  return input.records + input.partitions;
}
