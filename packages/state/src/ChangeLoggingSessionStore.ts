import type { Windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import type { ChangelogWriter } from './ChangelogWriter.js';
import { changelogTopicOf } from './internal/changelogTopicOf.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import { SessionKeySchema } from './SessionKeySchema.js';
import type { StateStoreContext } from './StateStoreContext.js';

/**
 * Writes every session put/remove through to the wrapped store and logs it with a {@link SessionKeySchema}
 * key (key bytes + 8-byte end + 8-byte start); a remove logs a tombstone.
 */
export class ChangeLoggingSessionStore implements BytesSessionStore {
  private context: StateStoreContext | undefined;
  private writer: ChangelogWriter | undefined;
  private topic = '';
  private partition = 0;

  constructor(readonly wrapped: BytesSessionStore) {}

  get name(): string {
    return this.wrapped.name;
  }
  get persistent(): boolean {
    return this.wrapped.persistent;
  }
  get retentionMs(): number {
    return this.wrapped.retentionMs;
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

  put(session: Windowed<Buffer>, value: Buffer | null): void {
    this.wrapped.put(session, value);
    this.log(session, value);
  }

  remove(session: Windowed<Buffer>): void {
    this.wrapped.remove(session);
    this.log(session, null);
  }

  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    return this.wrapped.fetchSession(key, sessionStart, sessionEnd);
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.findSessions(key, earliestSessionEndTime, latestSessionStartTime);
  }

  findSessionsInKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.findSessionsInKeyRange(
      keyFrom,
      keyTo,
      earliestSessionEndTime,
      latestSessionStartTime,
    );
  }

  fetch(key: Buffer): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.wrapped.fetch(key);
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.wrapped.restoreBatch(records);
  }

  private log(session: Windowed<Buffer>, value: Buffer | null): void {
    const key = SessionKeySchema.toBinary(session.key, session.window.start, session.window.end);
    this.writer!.send(this.topic, this.partition, key, value, this.context!.currentTimestamp());
  }
}
