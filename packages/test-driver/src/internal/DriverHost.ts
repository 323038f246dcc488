import type { Headers, SerializedRecord } from '@tributary/core';
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
  /** Awaits the topology's serdes' `prepare` for these records about to be piped (see SerdePreparer). */
  prepare(records: readonly SerializedRecord[]): Promise<void> | undefined;
  /** What the topology wrote to `topic` (undefined: nothing yet). */
  outputLog(topic: string): OutputLog | undefined;
  outputSize(topic: string): number;
  wallClockTimeMs(): number;
}
