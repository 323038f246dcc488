import type { RestoreRecord, StateStoreContext } from '@tributary/state';
import { storeDirectory } from './storeDirectory.js';
import { type Checkpoint, TransactionalRocksDB } from './TransactionalRocksDB.js';

/**
 * What every RocksDB store shares: a {@link TransactionalRocksDB} opened at init in the task's directory,
 * persistent, nothing to flush (writes become durable at `commit`, after Kafka's commit), a close that forgets
 * uncommitted writes, and restore writing straight to the database with the changelog offset.
 */
export abstract class RocksDBStoreLifecycle {
  readonly persistent = true;
  protected readonly db: TransactionalRocksDB;

  constructor(readonly name: string) {
    this.db = new TransactionalRocksDB(name);
  }

  init(context: StateStoreContext): void {
    this.db.open(storeDirectory(context, this.name));
    this.opened();
  }

  /** Called after the database opened (read the checkpoint's extra numbers here). */
  protected opened(): void {}

  isOpen(): boolean {
    return this.db.isOpen();
  }

  flush(): void {
    // Writes stay pending until commit(): local state is never ahead of the Kafka commit.
  }

  uncommittedBytes(): number {
    return this.db.uncommittedBytes();
  }

  committedOffset(): number | undefined {
    return this.db.checkpoint().changelogOffset ?? undefined;
  }

  commit(changelogOffset: number | undefined): void {
    this.db.commit(changelogOffset ?? null, this.checkpointExtra());
  }

  /** Store-specific numbers kept in the checkpoint (see {@link Checkpoint}). */
  protected checkpointExtra(): Record<string, number> {
    return {};
  }

  close(): void {
    this.db.close();
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    if (records.length === 0) return;
    const keys: Buffer[] = [];
    const values: (Buffer | null)[] = [];
    for (const record of records) this.restoreOne(record, keys, values);
    this.db.writeRestored(keys, values, records[records.length - 1]!.offset + 1, this.checkpointExtra());
  }

  /** Adds the database writes of one changelog record. */
  protected abstract restoreOne(record: RestoreRecord, keys: Buffer[], values: (Buffer | null)[]): void;
}
