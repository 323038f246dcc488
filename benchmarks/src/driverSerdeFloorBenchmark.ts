import { Serdes } from '@tributary/core';
import { benchmarkKeys, benchmarkValues, type DriverBenchmarkResult } from './driverBenchmarkHarness.js';

/**
 * Not a topology: per record, only the String-serde conversions the stateless driver row cannot avoid —
 * serialize key and value (the input topic), deserialize both (the source), serialize the key and the mapped
 * value (the sink), deserialize both (the output topic) — plus the chain's two string operators. An upper
 * bound for the stateless driver row on this machine: whatever the driver and the task add comes on top.
 */
export function runDriverSerdeFloorBenchmark(records: number): DriverBenchmarkResult {
  const S = Serdes.String();
  const keyCount = benchmarkKeys.length;
  const valueCount = benchmarkValues.length;
  let outputRecords = 0;
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < records; i++) {
    const keyBytes = S.serialize('orders', benchmarkKeys[i % keyCount]!);
    const valueBytes = S.serialize('orders', benchmarkValues[i % valueCount]!);
    const key = S.deserialize('orders', keyBytes);
    const value = S.deserialize('orders', valueBytes).toUpperCase();
    if (value.includes('CANCELLED')) continue;
    const outKey = S.serialize('accepted-orders', key);
    const outValue = S.serialize('accepted-orders', value.slice(1, -1));
    checksum +=
      S.deserialize('accepted-orders', outKey).length + S.deserialize('accepted-orders', outValue).length;
    outputRecords++;
  }
  const elapsedMs = performance.now() - start;
  if (checksum === 0 && outputRecords > 0) throw new Error('no output');
  return {
    name: 'serde floor',
    description:
      'no topology: only the 8 String conversions (+ toUpperCase, slice) the stateless row does per record',
    records,
    outputRecords,
    elapsedMs,
    recordsPerSecond: (records / elapsedMs) * 1000,
  };
}
