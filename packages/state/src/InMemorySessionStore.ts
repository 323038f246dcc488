import { type Windowed, windowed } from '@tributary/core';
import type { BytesSessionStore } from './BytesSessionStore.js';
import { ExpiringSegments } from './internal/ExpiringSegments.js';
import { GeneratorIterator } from './internal/GeneratorIterator.js';
import { InMemoryStoreLifecycle } from './internal/InMemoryStoreLifecycle.js';
import type { KeyValue, KeyValueIterator } from './KeyValueIterator.js';
import type { RestoreRecord } from './RestorableStateStore.js';
import { SessionKeySchema } from './SessionKeySchema.js';

/** The sessions of one key that end at the same time, sorted by start. */
interface SessionsOfKey {
  readonly key: Buffer;
  readonly sessions: { start: number; value: Buffer }[];
}

/**
 * A bytes session store held in memory: one segment per session end (a byte-ordered map of keys), dropped as
 * soon as the observed stream time (the largest session end put) moves past its retention. See
 * {@link BytesSessionStore} for the semantics. `close()` drops the content.
 */
export class InMemorySessionStore extends InMemoryStoreLifecycle implements BytesSessionStore {
  /** One segment per session end. */
  private readonly segments: ExpiringSegments<SessionsOfKey>;
  /** Puts ignored because their session had already expired. */
  expiredPuts = 0;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
  ) {
    super();
    this.segments = new ExpiringSegments(retentionMs);
  }

  protected clear(): void {
    this.segments.clear();
  }

  put(session: Windowed<Buffer>, value: Buffer | null): void {
    this.check();
    this.write(session.key, session.window.start, session.window.end, value);
  }

  remove(session: Windowed<Buffer>): void {
    this.check();
    this.write(session.key, session.window.start, session.window.end, null);
  }

  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    this.check();
    if (sessionEnd < this.segments.minLiveTime()) return null;
    const sessions = this.segments.get(sessionEnd)?.get(key.toString('latin1'))?.sessions;
    if (sessions === undefined) return null;
    for (const session of sessions) if (session.start === sessionStart) return session.value;
    return null;
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    this.check();
    const ends = this.segments.liveTimes(earliestSessionEndTime, Number.POSITIVE_INFINITY);
    const mapKey = key.toString('latin1');
    const segments = this.segments;
    return new GeneratorIterator(
      (function* (): Generator<KeyValue<Windowed<Buffer>, Buffer>, void, undefined> {
        for (const end of ends) {
          const entry = segments.get(end)?.get(mapKey);
          if (entry !== undefined) yield* sessionsOf(entry, end, latestSessionStartTime);
        }
      })(),
    );
  }

  findSessionsInKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    this.check();
    const ends = this.segments.liveTimes(earliestSessionEndTime, Number.POSITIVE_INFINITY);
    const from = keyFrom?.toString('latin1');
    const to = keyTo?.toString('latin1');
    const segments = this.segments;
    return new GeneratorIterator(
      (function* (): Generator<KeyValue<Windowed<Buffer>, Buffer>, void, undefined> {
        if (from !== undefined && to !== undefined && from > to) return;
        for (const end of ends) {
          const segment = segments.get(end);
          if (segment === undefined) continue;
          for (const entry of segment.range(from, to)) yield* sessionsOf(entry, end, latestSessionStartTime);
        }
      })(),
    );
  }

  fetch(key: Buffer): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.findSessions(key, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  restoreBatch(records: readonly RestoreRecord[]): void {
    this.check();
    for (const record of records) {
      const binary = record.key;
      this.write(
        SessionKeySchema.extractKey(binary),
        SessionKeySchema.extractStart(binary),
        SessionKeySchema.extractEnd(binary),
        record.value,
      );
    }
  }

  private write(key: Buffer, start: number, end: number, value: Buffer | null): void {
    const segments = this.segments;
    const mapKey = key.toString('latin1');
    if (value === null) {
      const segment = segments.get(end);
      const entry = segment?.get(mapKey);
      if (segment === undefined || entry === undefined) return;
      const at = entry.sessions.findIndex((session) => session.start === start);
      if (at < 0) return;
      entry.sessions.splice(at, 1);
      if (entry.sessions.length === 0) segment.delete(mapKey);
      segments.dropIfEmpty(end, segment);
      return;
    }
    segments.observe(end);
    if (end < segments.minLiveTime()) {
      this.expiredPuts++;
      return;
    }
    const segment = segments.getOrCreate(end);
    const entry = segment.get(mapKey);
    if (entry === undefined) {
      segment.set(mapKey, { key, sessions: [{ start, value }] });
      return;
    }
    const sessions = entry.sessions;
    let at = 0;
    while (at < sessions.length && sessions[at]!.start < start) at++;
    if (at < sessions.length && sessions[at]!.start === start) sessions[at]!.value = value;
    else sessions.splice(at, 0, { start, value });
  }
}

function* sessionsOf(
  entry: SessionsOfKey,
  end: number,
  latestSessionStartTime: number,
): Generator<KeyValue<Windowed<Buffer>, Buffer>, void, undefined> {
  for (const session of entry.sessions) {
    if (session.start > latestSessionStartTime) break;
    yield { key: windowed(entry.key, session.start, end), value: session.value };
  }
}
