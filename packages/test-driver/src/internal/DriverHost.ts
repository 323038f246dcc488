import type { ConsumerRecord, Headers } from '@tributary/core';

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
  /** Take the oldest unread record written to `topic`. */
  takeOutput(topic: string): ConsumerRecord | undefined;
  outputSize(topic: string): number;
  wallClockTimeMs(): number;
}
