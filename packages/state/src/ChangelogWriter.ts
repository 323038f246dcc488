import type { Headers } from '@tributary/core';

/** The port a change-logging store writes through; the runtime's RecordCollector implements it. */
export interface ChangelogWriter {
  send(
    topic: string,
    partition: number,
    key: Buffer,
    value: Buffer | null,
    timestamp: number,
    headers?: Headers,
  ): void;
}
