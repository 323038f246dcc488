import { type Headers, TaskId } from '@tributary/core';
import type { ChangelogWriter, StateStoreContext } from '../src/index.js';

/** One record a store sent to its changelog, with the key and value bytes decoded as latin1/utf8 for asserts. */
export interface CapturedChangelogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers | undefined;
}

/** Captures changelog sends in order. */
export class FakeChangelogWriter implements ChangelogWriter {
  readonly records: CapturedChangelogRecord[] = [];

  send(
    topic: string,
    partition: number,
    key: Buffer,
    value: Buffer | null,
    timestamp: number,
    headers?: Headers,
  ): void {
    this.records.push({ topic, partition, key, value, timestamp, headers });
  }
}

/** A StateStoreContext for store tests: the test sets `timestamp` (current record) and `time` (stream time). */
export class FakeStateStoreContext implements StateStoreContext {
  readonly applicationId = 'app';
  readonly taskId = new TaskId(0, 2);
  readonly changelogPartition = 2;
  readonly changelogWriter = new FakeChangelogWriter();
  timestamp = 0;
  time = 0;

  readonly changelogTopic: string | undefined;

  /** `changelogTopic` null = logging disabled (no changelog topic). */
  constructor(
    changelogTopic: string | null = 'app-store-changelog',
    readonly cacheMaxBytes: number | undefined = undefined,
    readonly stateDir: string | undefined = undefined,
  ) {
    this.changelogTopic = changelogTopic ?? undefined;
  }

  currentTimestamp(): number {
    return this.timestamp;
  }

  streamTime(): number {
    return this.time;
  }

  get changelog(): CapturedChangelogRecord[] {
    return this.changelogWriter.records;
  }
}

/** Bytes from a latin1 string, so tests can write byte-exact keys such as '\xff'. */
export function b(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** latin1 text of bytes (null stays null), for readable expectations. */
export function s(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('latin1');
}
