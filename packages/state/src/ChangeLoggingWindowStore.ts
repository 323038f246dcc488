import type { Windowed } from '@tributary/core';
import type { BytesWindowStore } from './BytesWindowStore.js';
import { ChangelogSender } from './internal/ChangelogSender.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import { WindowKeySchema } from './WindowKeySchema.js';

/**
 * Writes every window put through to the wrapped store and logs it with a {@link WindowKeySchema} key:
 * key bytes + 8-byte window start, plus a 4-byte sequence number when the store retains duplicates (puts of
 * null are no-ops there and are not logged).
 */
export class ChangeLoggingWindowStore extends ChangelogSender<BytesWindowStore> implements BytesWindowStore {
  private seqnum = 0;

  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }
  get windowSizeMs(): number {
    return this.wrapped.windowSizeMs;
  }
  get retainDuplicates(): boolean {
    return this.wrapped.retainDuplicates;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.wrapped.put(key, value, windowStart);
    let seqnum: number | undefined;
    if (this.wrapped.retainDuplicates) {
      if (value === null) return;
      seqnum = this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    }
    this.logChange(WindowKeySchema.toStoreKeyBinary(key, windowStart, seqnum), value);
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
}
