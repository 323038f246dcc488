import { mkdirSync } from 'node:fs';
import { StreamsError } from '@tributary/core';
import type { KeyValue } from '@tributary/state';
import { InvalidStateStoreError, MapKeyMemo, OrderedBytesMap } from '@tributary/state';
import { type DatabaseHandle, type RocksDBBinding, rocksDBBinding, unpackEntries } from './RocksDBBinding.js';

/** An uncommitted write: a value, or null for a delete. */
interface PendingWrite {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

/**
 * What a store keeps beside its data, written in the same atomic batch: the changelog offset its data
 * includes (restore resumes there; null = unknown, restore from the beginning) and store-specific numbers
 * (a window store's observed stream time and sequence number).
 */
export interface Checkpoint {
  readonly changelogOffset: number | null;
  readonly extra: Readonly<Record<string, number>>;
}

const CHECKPOINT_KEY = Buffer.from('checkpoint');
const CHUNK = 128;

/**
 * One RocksDB database whose local state is never ahead of the last commit: writes go to an in-memory
 * buffer of pending writes that reads see first; `commit()` — called after the Kafka commit succeeded —
 * writes them with the checkpoint in one atomic batch, and `rollback()` (a dirty close) forgets them. A
 * crash therefore leaves exactly the state of the last commit and its changelog offset, and restore replays
 * the changelog from there (under exactly-once, only committed records) instead of from the beginning.
 */
export class TransactionalRocksDB {
  private readonly binding: RocksDBBinding;
  private db: DatabaseHandle | undefined;
  private state: 'created' | 'open' | 'closed' = 'created';
  private readonly pending = new OrderedBytesMap<PendingWrite>();
  private readonly mapKeys = new MapKeyMemo();
  private pendingBytes = 0;
  private committed: Checkpoint = { changelogOffset: null, extra: {} };

  constructor(readonly storeName: string) {
    this.binding = rocksDBBinding();
  }

  /** Opens (creating) the database in `dir` and reads its checkpoint. */
  open(dir: string): void {
    mkdirSync(dir, { recursive: true });
    try {
      this.db = this.binding.open(dir, true);
    } catch (error) {
      const message = (error as Error).message;
      const hint = /lock/i.test(message)
        ? 'another task or process has this store open; stop it, or give each instance its own state.dir'
        : 'check that the directory is writable and not corrupted; delete it to restore from the changelog';
      throw new StreamsError(`cannot open RocksDB store '${this.storeName}' in ${dir}: ${message}; ${hint}`, {
        cause: error,
      });
    }
    this.state = 'open';
    const raw = this.binding.get(this.db, CHECKPOINT_KEY, true);
    if (raw !== null) {
      const parsed = JSON.parse(raw.toString('utf8')) as Checkpoint;
      this.committed = { changelogOffset: parsed.changelogOffset ?? null, extra: parsed.extra ?? {} };
    }
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  /** The checkpoint of the last commit (or restore). */
  checkpoint(): Checkpoint {
    return this.committed;
  }

  /** Bytes of keys and values waiting for the next commit (an estimate). */
  uncommittedBytes(): number {
    return this.pendingBytes;
  }

  get(key: Buffer): Buffer | null {
    const db = this.open_();
    const pending = this.pending.get(this.mapKeys.of(key));
    if (pending !== undefined) return pending.value;
    return this.binding.get(db, key);
  }

  /** Buffers a put (null = delete) until the next commit. */
  put(key: Buffer, value: Buffer | null): void {
    this.open_();
    this.pending.set(this.mapKeys.of(key), { key, value });
    this.pendingBytes += key.length + (value?.length ?? 0) + 48;
  }

  /**
   * Entries with lower <= key < upper (undefined = unbounded) in byte order: the committed data merged with the
   * pending writes (which win; pending deletes hide committed entries). Call `return()` (or exhaust it).
   */
  *range(lower: Buffer | undefined, upper: Buffer | undefined): Generator<KeyValue<Buffer, Buffer>, void> {
    const db = this.open_();
    const pending = this.pending.range(lower?.toString('latin1'), upper?.toString('latin1'), true);
    const it = this.binding.iterator(db, lower ?? null, upper ?? null);
    try {
      let chunk = unpackEntries(this.binding.next(it, CHUNK));
      let i = 0;
      let next = pending.peek();
      for (;;) {
        if (i >= chunk.length && chunk.length === 2 * CHUNK) {
          chunk = unpackEntries(this.binding.next(it, CHUNK));
          i = 0;
        }
        const committedKey = i < chunk.length ? chunk[i]! : undefined;
        if (committedKey === undefined && next === undefined) return;
        const order =
          committedKey === undefined ? 1 : next === undefined ? -1 : Buffer.compare(committedKey, next.key);
        if (order < 0) {
          const value = chunk[i + 1]!;
          i += 2;
          yield { key: committedKey!, value };
        } else {
          if (order === 0) i += 2;
          pending.next();
          const write = next!;
          next = pending.peek();
          if (write.value !== null) yield { key: write.key, value: write.value };
        }
      }
    } finally {
      this.binding.closeIterator(it);
    }
  }

  /**
   * Writes the pending writes and the checkpoint in one atomic batch, deleting every committed key in the
   * given ranges [from, to) in the same batch; pending writes for which `keep` says false are dropped
   * (expired windows). The keys are deleted one by one (a scan of the range, done once per expired segment)
   * rather than with a range tombstone, which RocksDB checks on later reads until compaction removes it.
   */
  commit(
    changelogOffset: number | null,
    extra: Readonly<Record<string, number>> = this.committed.extra,
    deleteRanges: readonly (readonly [Buffer, Buffer])[] = [],
    keep?: (key: Buffer) => boolean,
  ): void {
    const db = this.open_();
    if (
      this.pending.size === 0 &&
      deleteRanges.length === 0 &&
      changelogOffset === this.committed.changelogOffset &&
      sameNumbers(extra, this.committed.extra)
    ) {
      return; // nothing to write: a commit of a task whose store was only read
    }
    const keys: Buffer[] = [];
    const values: (Buffer | null)[] = [];
    for (const [from, to] of deleteRanges) {
      const it = this.binding.iterator(db, from, to);
      try {
        for (;;) {
          const chunk = unpackEntries(this.binding.next(it, 1024));
          for (let i = 0; i < chunk.length; i += 2) {
            keys.push(chunk[i]!);
            values.push(null);
          }
          if (chunk.length < 2048) break;
        }
      } finally {
        this.binding.closeIterator(it);
      }
    }
    for (const [, write] of this.pending.insertionOrder()) {
      if (keep !== undefined && !keep(write.key)) continue;
      keys.push(write.key);
      values.push(write.value);
    }
    const checkpoint: Checkpoint = { changelogOffset, extra };
    this.binding.write(db, keys, values, [CHECKPOINT_KEY], [Buffer.from(JSON.stringify(checkpoint))]);
    this.committed = checkpoint;
    this.pending.clear();
    this.pendingBytes = 0;
  }

  /** Forgets the pending writes: the store is back at its last commit. */
  rollback(): void {
    this.pending.clear();
    this.pendingBytes = 0;
  }

  /**
   * Writes restored changelog records straight to the database with the checkpoint (no pending buffer: a
   * restored record is committed in the changelog already).
   */
  writeRestored(
    keys: readonly Buffer[],
    values: readonly (Buffer | null)[],
    changelogOffset: number,
    extra: Readonly<Record<string, number>> = this.committed.extra,
  ): void {
    const db = this.open_();
    const checkpoint: Checkpoint = { changelogOffset, extra };
    this.binding.write(db, keys, values, [CHECKPOINT_KEY], [Buffer.from(JSON.stringify(checkpoint))]);
    this.committed = checkpoint;
  }

  approximateNumEntries(): number {
    return this.binding.estimateNumKeys(this.open_()) + this.pending.size;
  }

  /** Closes the database; pending writes are forgotten (a clean close commits first). */
  close(): void {
    if (this.db !== undefined) this.binding.close(this.db);
    this.db = undefined;
    this.rollback();
    this.state = 'closed';
  }

  private open_(): DatabaseHandle {
    if (this.db === undefined) {
      throw this.state === 'created'
        ? InvalidStateStoreError.notInitialised(this.storeName)
        : InvalidStateStoreError.closed(this.storeName);
    }
    return this.db;
  }
}

function sameNumbers(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
