import type { RestorableStateStore, RestoreRecord } from '../RestorableStateStore.js';
import type { StateStoreContext } from '../StateStoreContext.js';

/**
 * A store layer around another (metered, caching, change-logging), as Kafka Streams' WrappedStateStore: the
 * name and persistence are the wrapped store's, and the lifecycle and restore go straight through unless the
 * layer overrides them.
 */
export abstract class WrappedStateStore<W extends RestorableStateStore> implements RestorableStateStore {
  constructor(readonly wrapped: W) {}

  get name(): string {
    return this.wrapped.name;
  }

  get persistent(): boolean {
    return this.wrapped.persistent;
  }

  init(context: StateStoreContext): void {
    this.wrapped.init(context);
  }

  isOpen(): boolean {
    return this.wrapped.isOpen();
  }

  flush(): void {
    this.wrapped.flush();
  }

  close(): void {
    this.wrapped.close();
  }

  committedOffset(): number | undefined {
    return this.wrapped.committedOffset?.();
  }

  commit(changelogOffset: number | undefined): void {
    this.wrapped.commit?.(changelogOffset);
  }

  uncommittedBytes(): number {
    return this.wrapped.uncommittedBytes?.() ?? 0;
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.wrapped.restoreBatch(records);
  }
}
