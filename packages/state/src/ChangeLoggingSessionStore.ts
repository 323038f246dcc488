import type { Windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import { ChangelogSender } from './internal/ChangelogSender.js';
import type { KeyValueIterator } from './KeyValueIterator.js';
import { SessionKeySchema } from './SessionKeySchema.js';

/**
 * Writes every session put/remove through to the wrapped store and logs it with a {@link SessionKeySchema}
 * key (key bytes + 8-byte end + 8-byte start); a remove logs a tombstone.
 */
export class ChangeLoggingSessionStore
  extends ChangelogSender<BytesSessionStore>
  implements BytesSessionStore
{
  get retentionMs(): number {
    return this.wrapped.retentionMs;
  }

  put(session: Windowed<Buffer>, value: Buffer | null): void {
    this.wrapped.put(session, value);
    this.logSession(session, value);
  }

  remove(session: Windowed<Buffer>): void {
    this.wrapped.remove(session);
    this.logSession(session, null);
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

  private logSession(session: Windowed<Buffer>, value: Buffer | null): void {
    this.logChange(SessionKeySchema.toBinary(session.key, session.window.start, session.window.end), value);
  }
}
