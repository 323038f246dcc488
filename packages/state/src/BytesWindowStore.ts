import type { Windowed } from '@tributary/core';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore } from './RestorableStateStore.js';

/**
 * The bytes-level window store that in-memory and RocksDB window stores implement: values by (key bytes,
 * window start). A window is live while `start > observedStreamTime - retentionMs`, where the observed stream
 * time is the largest window start ever put; expired windows are dropped and never returned, and puts into
 * them are ignored. With `retainDuplicates` every put appends (puts of null are ignored) and reads return all
 * values of a (key, start) in put order. Restore records carry {@link WindowKeySchema} keys.
 */
export interface BytesWindowStore extends RestorableStateStore {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  put(key: Buffer, value: Buffer | null, windowStart: number): void;
  /** The value of one window (with duplicates: the first one put). */
  fetch(key: Buffer, windowStart: number): Buffer | null;
  /** Windows of one key with timeFrom <= start <= timeTo, in start order; the iterator's keys are the starts. */
  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer>;
  /** Windows of keys in [keyFrom, keyTo] with start in [timeFrom, timeTo], ordered by start, then key bytes. */
  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<Buffer>, Buffer>;
  all(): KeyValueIterator<Windowed<Buffer>, Buffer>;
}
