import type { BytesKeyValueStore } from './BytesKeyValueStore.js';
import { ChangelogSender } from './internal/ChangelogSender.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';

/**
 * Writes every change through to the wrapped store and sends it to the store's changelog topic
 * (key bytes, value bytes or null for a delete, the current record's timestamp).
 */
export class ChangeLoggingKeyValueStore
  extends ChangelogSender<BytesKeyValueStore>
  implements BytesKeyValueStore
{
  get(key: Buffer): Buffer | null {
    return this.wrapped.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.wrapped.put(key, value);
    this.logChange(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer): Buffer | null {
    const previous = this.wrapped.putIfAbsent(key, value);
    if (previous === null) this.logChange(key, value);
    return previous;
  }

  putAll(entries: readonly KeyValue<Buffer, Buffer | null>[]): void {
    this.wrapped.putAll(entries);
    for (const entry of entries) this.logChange(entry.key, entry.value);
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.wrapped.delete(key);
    this.logChange(key, null);
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
}
