import type { Windowed } from '@tributary/core';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestorableStateStore } from './RestorableStateStore.js';

/**
 * The bytes-level session store that in-memory and RocksDB session stores implement: values by (key bytes,
 * session start, session end). A session is live while `end > observedStreamTime - retentionMs`, where the
 * observed stream time is the largest session end ever put; expired sessions are dropped and never returned,
 * puts of expired sessions are ignored. Scans order by session end, then key bytes, then session start.
 * Restore records carry {@link SessionKeySchema} keys.
 */
export interface BytesSessionStore extends RestorableStateStore {
  readonly retentionMs: number;
  /** `put(session, null)` removes the session. */
  put(session: Windowed<Buffer>, value: Buffer | null): void;
  remove(session: Windowed<Buffer>): void;
  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null;
  /** Sessions of `key` with end >= earliestSessionEndTime and start <= latestSessionStartTime. */
  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  /** As `findSessions`, for keys in [keyFrom, keyTo] (undefined = unbounded). */
  findSessionsInKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer>;
  /** All live sessions of one key. */
  fetch(key: Buffer): KeyValueIterator<Windowed<Buffer>, Buffer>;
}
