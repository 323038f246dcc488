import type { Headers } from '@tributary/core';
import type { OutputLog } from './OutputLog.js';

/** What the test topics need from their driver. */
export interface DriverHost {
  /** Write a serialized record to `topic` (real name) as a producer would, then process until quiescent. */
  pipe(
    topic: string,
    partition: number | undefined,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void;
  /** What the topology wrote to `topic` (undefined: nothing yet). */
  outputLog(topic: string): OutputLog | undefined;
  outputSize(topic: string): number;
  wallClockTimeMs(): number;
}
