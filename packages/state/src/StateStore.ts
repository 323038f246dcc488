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
}
