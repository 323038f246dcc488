import type { TaskId } from '@tributary/core';
import type { ChangelogWriter } from './ChangelogWriter.js';

/** What a store learns from its task when it is initialised. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** The changelog topic of this store, or undefined when logging is disabled. */
  readonly changelogTopic: string | undefined;
  /** Changelog partition = the task's partition. */
  readonly changelogPartition: number;
  readonly changelogWriter: ChangelogWriter;
  /** Directory for persistent stores of this task (RocksDB); unused by in-memory stores. */
  readonly stateDir: string | undefined;
  /**
   * Byte budget of the write-back cache of each caching store of this task (Kafka's
   * `statestore.cache.max.bytes`, applied per store here). Undefined = 10 MiB. 0 = every write is flushed
   * (and forwarded) at once.
   */
  readonly cacheMaxBytes?: number;
  /** Timestamp of the record being processed (used for changelog record timestamps). */
  currentTimestamp(): number;
  /** Highest record timestamp the task has seen (stream time); windows and retention are relative to it. */
  streamTime(): number;
}
