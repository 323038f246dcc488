import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import { InMemoryStoreLifecycle } from './internal/InMemoryStoreLifecycle.js';
import { MapKeyMemo } from './internal/MapKeyMemo.js';
import { OrderedBytesMap } from './internal/OrderedBytesMap.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';

/**
 * A bytes key-value store held in memory: point reads through a hash map, ordered scans in unsigned byte
 * order of the key. Not persistent: its content comes back from the changelog after a restart. `close()`
 * drops the content.
 */
export class InMemoryKeyValueStore extends InMemoryStoreLifecycle implements BytesKeyValueStore {
  private readonly entries = new OrderedBytesMap<KeyValue<Buffer, Buffer>>();
  private readonly mapKeys = new MapKeyMemo();

  constructor(readonly name: string) {
    super();
  }

  protected clear(): void {
    this.entries.clear();
  }

  get(key: Buffer): Buffer | null {
    this.check();
    return this.entries.get(this.mapKeys.of(key))?.value ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.check();
    this.write(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    this.check();
    const mapKey = this.mapKeys.of(key);
    const existing = this.entries.get(mapKey);
    if (existing !== undefined) return existing.value;
    this.entries.set(mapKey, { key, value });
    return null;
  }

  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void {
    this.check();
    for (const entry of entries) this.write(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    this.check();
    return this.entries.delete(this.mapKeys.of(key))?.value ?? null;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    this.check();
    return this.entries.range(from?.toString('latin1'), to?.toString('latin1'));
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    this.check();
    return this.entries.range(undefined, undefined);
  }

  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    this.check();
    return this.entries.prefix(prefix.toString('latin1'));
  }

  approximateNumEntries(): number {
    this.check();
    return this.entries.size;
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.check();
    for (const record of records) this.write(record.key, record.value);
  }

  private write(key: Buffer, value: Buffer | null): void {
    const mapKey = this.mapKeys.of(key);
    if (value === null) this.entries.delete(mapKey);
    else this.entries.set(mapKey, { key, value });
  }
}
