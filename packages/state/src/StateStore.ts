import type { StateStoreContext } from './StateStoreContext.js';

/**
 * A store owned by one task. Processors reach it synchronously through `context.getStateStore(name)`;
 * the task calls `init` before the first record, `flush` at every commit and `close` when the task closes.
 */
export interface StateStore {
  readonly name: string;
  /** True when the store keeps data on disk across restarts (RocksDB); false for in-memory stores. */
  readonly persistent: boolean;
  init(context: StateStoreContext): void;
  flush(): void;
  close(): void;
  isOpen(): boolean;
  /**
   * Transactional (persistent) stores only: the changelog offset the local data includes, where restore
   * resumes; undefined when restore must start at the beginning of the changelog.
   */
  committedOffset?(): number | undefined;
  /**
   * Transactional (persistent) stores only, called after the commit to Kafka succeeded: make the writes since
   * the last commit durable locally together with `changelogOffset` (the next changelog offset the data now
   * includes; undefined when unknown) in one atomic write. Until then the writes are readable but not on disk,
   * and a close without commit (a dirty close) forgets them — local state is never ahead of Kafka.
   */
  commit?(changelogOffset: number | undefined): void;
  /** Transactional (persistent) stores only: bytes written since the last commit and held in memory. */
  uncommittedBytes?(): number;
}
