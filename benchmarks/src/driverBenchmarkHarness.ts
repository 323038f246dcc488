import type { TestInputTopic, TestOutputTopic } from '@tributary/test-driver';

/** One benchmark result row. */
export interface DriverBenchmarkResult {
  readonly name: string;
  readonly description: string;
  readonly records: number;
  readonly outputRecords: number;
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
}

const KEY_COUNT = 10_000;
const VALUE_COUNT = 1_000;

/** Pre-built keys and values, so the benchmark measures the driver and not string building. */
export const benchmarkKeys: readonly string[] = Array.from(
  { length: KEY_COUNT },
  (_, i) => `user-${String(i).padStart(5, '0')}`,
);
export const benchmarkValues: readonly string[] = Array.from(
  { length: VALUE_COUNT },
  (_, i) => `{"order":${i},"amount":${(i * 37) % 1000},"status":"${i % 10 === 0 ? 'cancelled' : 'ok'}"}`,
);

/** Something to run every `records` piped records, inside the timed loop (e.g. `driver.commit()`). */
export interface EveryRecords {
  readonly records: number;
  readonly run: () => void;
}

/**
 * Pipes `records` records into `input` (keys: the first `keyCount` benchmark keys in turn), draining `output` every `drainEvery` records (a test would read its
 * output; it also keeps memory flat), printing progress every 10%. `every` runs after every so many records,
 * before that point's drain (a driver in manual commit mode commits there), and once more before the final
 * drain if the records do not end on such a point.
 */
export function pipeAndMeasure(
  name: string,
  description: string,
  records: number,
  input: TestInputTopic<string, string>,
  output: TestOutputTopic<unknown, unknown>,
  drainEvery = 100_000,
  every?: EveryRecords,
  keyCount = KEY_COUNT,
): DriverBenchmarkResult {
  const progressEvery = Math.max(1, Math.floor(records / 10));
  let outputRecords = 0;
  const start = performance.now();
  let lastMark = start;
  let lastCount = 0;
  for (let i = 0; i < records; i++) {
    input.pipeInput(benchmarkKeys[i % keyCount]!, benchmarkValues[i % VALUE_COUNT]!, i);
    if (every !== undefined && (i + 1) % every.records === 0) every.run();
    if ((i + 1) % drainEvery === 0) outputRecords += output.readRecordsToList().length;
    if ((i + 1) % progressEvery === 0) {
      const now = performance.now();
      const rate = ((i + 1 - lastCount) / (now - lastMark)) * 1000;
      process.stdout.write(
        `  ${name}: ${i + 1}/${records} records, ${Math.round(rate).toLocaleString('en-US')} rec/s\n`,
      );
      lastMark = now;
      lastCount = i + 1;
    }
  }
  // what the last partial interval left (a commit), so every record's output is read within the timing
  if (every !== undefined && records % every.records !== 0) every.run();
  outputRecords += output.readRecordsToList().length;
  const elapsedMs = performance.now() - start;
  return {
    name,
    description,
    records,
    outputRecords,
    elapsedMs,
    recordsPerSecond: (records / elapsedMs) * 1000,
  };
}
