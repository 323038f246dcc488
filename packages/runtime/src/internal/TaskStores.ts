import { StreamsError } from '@tributary/core';
import type { StateStore } from '@tributary/state';
import type { RecordCollector } from '../RecordCollector.js';
import { messageOf } from './messageOf.js';

/**
 * The state stores of one task: by name and in creation order, flushed at every commit, the persistent ones
 * committed after it (with their changelog offset), and closed together.
 */
export class TaskStores {
  private readonly byName = new Map<string, StateStore>();
  /** The stores in creation order, for the flush at every commit without a Map iterator. */
  private readonly list: StateStore[] = [];
  private readonly names: string[] = [];
  /** Persistent (transactional) stores and their changelog topics (undefined: not logged). */
  private readonly persistent: { store: StateStore; changelogTopic: string | undefined }[] = [];

  constructor(private readonly taskName: string) {}

  add(name: string, store: StateStore, changelogTopic: string | undefined): void {
    if (store.persistent) this.persistent.push({ store, changelogTopic });
    this.byName.set(name, store);
    this.list.push(store);
    this.names.push(name);
  }

  get(name: string): StateStore | undefined {
    return this.byName.get(name);
  }

  all(): ReadonlyMap<string, StateStore> {
    return this.byName;
  }

  /** Flushes every store in order; `beforeEach` runs before each (the task clears its processing context). */
  flush(beforeEach: () => void): void {
    const stores = this.list;
    for (let i = 0; i < stores.length; i++) {
      beforeEach();
      try {
        stores[i]!.flush();
      } catch (error) {
        if (error instanceof StreamsError) throw error;
        throw new StreamsError(
          `${this.taskName} failed to flush store '${this.names[i]}': ${messageOf(error)}`,
          { cause: error },
        );
      }
    }
  }

  /**
   * After a successful Kafka commit: each persistent store writes what it buffered, with the offset of its
   * changelog the data now includes (the last acknowledged changelog record + 1, else its previous checkpoint).
   */
  commit(collector: RecordCollector, partition: number): void {
    for (const { store, changelogTopic } of this.persistent) {
      const acked =
        changelogTopic === undefined ? undefined : collector.ackedOffset(changelogTopic, partition);
      store.commit?.(acked === undefined ? store.committedOffset?.() : acked + 1);
    }
  }

  /** Bytes the persistent stores hold uncommitted in memory. */
  uncommittedBytes(): number {
    let bytes = 0;
    for (const { store } of this.persistent) bytes += store.uncommittedBytes?.() ?? 0;
    return bytes;
  }

  /** Closes every open store (all of them, even after a failure) and forgets them; throws the first failure. */
  close(): void {
    let first: unknown;
    for (const store of this.list) {
      try {
        if (store.isOpen()) store.close();
      } catch (error) {
        first ??= error;
      }
    }
    this.byName.clear();
    this.list.length = 0;
    this.names.length = 0;
    this.persistent.length = 0;
    if (first !== undefined) {
      throw first instanceof StreamsError
        ? first
        : new StreamsError(`${this.taskName} failed to close a store: ${messageOf(first)}`, {
            cause: first,
          });
    }
  }
}
