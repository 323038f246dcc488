import type { StateStore } from './StateStore.js';

/** One changelog record to apply during restore: the changelog key and value bytes as they were logged. */
export interface RestoreRecord {
  readonly key: Buffer;
  /** null = tombstone. */
  readonly value: Buffer | null;
  readonly timestamp: number;
  /** The record's offset in the changelog partition. */
  readonly offset: number;
}

/**
 * A store that can be rebuilt from its changelog. The runtime calls `restoreBatch` after `init` with records
 * read from the changelog topic, in offset order; they go straight to the innermost store, bypassing caching
 * and change-logging (nothing is re-logged, nothing is forwarded).
 */
export interface RestorableStateStore extends StateStore {
  restoreBatch(records: readonly RestoreRecord[]): void;
}
