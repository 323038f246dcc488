import type { Windowed } from '@tributary/core';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { StateStore } from './StateStore.js';

/** Read-only view of a session store. */
export interface ReadOnlySessionStore<K, V> {
  /** Sessions of `key` that end at or after `earliestSessionEndTime` and start at or before `latestSessionStartTime`. */
  findSessions(
    key: K,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<K>, V>;
  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null;
  /** All sessions of one key. */
  fetch(key: K): KeyValueIterator<Windowed<K>, V>;
}

/** Values keyed by (key, session start, session end). `remove` deletes a session (e.g. when sessions merge). */
export interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
  readonly retentionMs: number;
  put(session: Windowed<K>, value: V | null): void;
  remove(session: Windowed<K>): void;
}
