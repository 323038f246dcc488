import type { Windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import type { ChangelogWriter } from './ChangelogWriter.js';
import { changelogTopicOf } from './internal/changelogTopicOf.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import type { StateStoreContext } from './StateStoreContext.js';
import { WindowKeySchema } from './WindowKeySchema.js';

/**
 * Writes every window put through to the wrapped store and logs it with a {@link WindowKeySchema} key:
 * key bytes + 8-byte window start, plus a 4-byte sequence number when the store retains duplicates (puts of
 * null are no-ops there and are not logged).
 */
export class ChangeLoggingWindowStore implements BytesWindowStore {
  private context: StateStoreContext | undefined;
  private writer: ChangelogWriter | undefined;
  private topic = '';
  private partition = 0;
  private seqnum = 0;

  constructor(readonly wrapped: BytesWindowStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get persistent(): boolean {
    return this.wrapped.persistent;
  }
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }
  get retainDuplicates(): boolean {
    return this.wrapped.retainDuplicates;
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

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.wrapped.put(key, value, windowStart);
    let seqnum: number | undefined;
    if (this.wrapped.retainDuplicates) {
      if (value === null) return;
      seqnum = this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    }
    this.writer!.send(
      this.topic,
      this.partition,
      WindowKeySchema.toStoreKeyBinary(key, windowStart, seqnum),
      value,
      this.context!.currentTimestamp(),
    );
  }

  fetch(key: Buffer, windowStart: number): Buffer | null {
    return this.wrapped.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): KeyValueIterator<number, Buffer> {
    return this.wrapped.fetchRange(key, timeFrom, timeTo);
  }

  fetchKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    timeFrom: number,
    timeTo: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.fetchAll(timeFrom, timeTo);
  }

  all(): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.all();
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.wrapped.restoreBatch(records);
  }
}
