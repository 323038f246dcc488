import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import type { ChangelogWriter } from './ChangelogWriter.js';
import { changelogTopicOf } from './internal/changelogTopicOf.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';

/**
 * Writes every change through to the wrapped store and sends it to the store's changelog topic
 * (key bytes, value bytes or null for a delete, the current record's timestamp).
 */
export class ChangeLoggingKeyValueStore implements BytesKeyValueStore {
  private context: StateStoreContext | undefined;
  private writer: ChangelogWriter | undefined;
  private topic = '';
  private partition = 0;

  constructor(readonly wrapped: BytesKeyValueStore) {}

  get name(): string {
    return this.wrapped.name;
  }

  get persistent(): boolean {
    return this.wrapped.persistent;
  }

  init(context: StateStoreContext): void {
    this.topic = changelogTopicOf(this.name, context);
    this.partition = context.changelogPartition;
    this.writer = context.changelogWriter;
    this.context = context;
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

  get(key: Buffer): Buffer | null {
    return this.wrapped.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.wrapped.put(key, value);
    this.log(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const previous = this.wrapped.putIfAbsent(key, value);
    if (previous === null) this.log(key, value);
    return previous;
  }

  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void {
    this.wrapped.putAll(entries);
    for (const entry of entries) this.log(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.wrapped.delete(key);
    this.log(key, null);
    return previous;
  }

  range(from: Buffer | undefined, to: Buffer | undefined): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.range(from, to);
  }

  all(): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.all();
  }

  prefixScan(prefix: Buffer): KeyValueIterator<Buffer, Buffer> {
    return this.wrapped.prefixScan(prefix);
  }

  approximateNumEntries(): number {
    return this.wrapped.approximateNumEntries();
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.wrapped.restoreBatch(records);
  }

  private log(key: Buffer, value: Buffer | null): void {
    // init() set both; a store used before init already failed in the wrapped store.
    this.writer!.send(this.topic, this.partition, key, value, this.context!.currentTimestamp());
  }
}
