import type { BytesKeyValueStore, KeyValue, KeyValueIterator, RestoreRecord } from '@tributary/state';
import { GeneratorIterator, prefixSuccessor } from '@tributary/state';
import { RocksDBStoreLifecycle } from './internal/RocksDBStoreLifecycle.js';

/**
 * A bytes key-value store in RocksDB, transactional: writes are readable at once but reach the database
 * only at `commit` (after the Kafka commit), together with the changelog offset, so a crash never leaves
 * local state ahead of the committed changelog and restore resumes from that offset.
 */
export class RocksDBKeyValueStore extends RocksDBStoreLifecycle implements BytesKeyValueStore {
  get(key: Buffer): Buffer | null {
    return this.db.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.db.put(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const existing = this.db.get(key);
    if (existing === null) this.db.put(key, value);
    return existing;
  }

  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void {
    for (const entry of entries) this.db.put(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    const existing = this.db.get(key);
    if (existing !== null) this.db.put(key, null);
    return existing;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    if (from !== undefined && to !== undefined && Buffer.compare(from, to) > 0) {
      return new GeneratorIterator([][Symbol.iterator]());
    }
    // [from, to] inclusive: the exclusive upper bound is `to` followed by a zero byte.
    const upper = to === undefined ? undefined : Buffer.concat([to, ZERO]);
    return new GeneratorIterator(this.db.range(from, upper));
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return new GeneratorIterator(this.db.range(undefined, undefined));
  }

  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    const successor = prefixSuccessor(prefix.toString('latin1'));
    const upper = successor === undefined ? undefined : Buffer.from(successor, 'latin1');
    return new GeneratorIterator(this.db.range(prefix, upper));
  }

  approximateNumEntries(): number {
    return this.db.approximateNumEntries();
  }

  protected restoreOne(record: RestoreRecord, keys: Buffer[], values: (Buffer | null)[]): void {
    keys.push(record.key);
    values.push(record.value);
  }
}

const ZERO = Buffer.alloc(1);
