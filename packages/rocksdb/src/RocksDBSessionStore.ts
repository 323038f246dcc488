import { type Windowed, windowed } from '@tributary/core';
import type { BytesSessionStore, KeyValue, KeyValueIterator, RestoreRecord } from '@tributary/state';
import { GeneratorIterator, SessionKeySchema } from '@tributary/state';
import { RocksDBSegmentedStore } from './internal/RocksDBSegmentedStore.js';

interface FoundSession {
  readonly key: Buffer;
  readonly start: number;
  readonly end: number;
  readonly value: Buffer;
}

/**
 * A bytes session store in RocksDB (see {@link BytesSessionStore} for the semantics), transactional like
 * {@link RocksDBKeyValueStore}. Database keys are the segment id of the session end followed by the changelog
 * layout (key, end, start), so the sessions of one key are one contiguous scan per segment, in end and then
 * start order.
 */
export class RocksDBSessionStore extends RocksDBSegmentedStore implements BytesSessionStore {
  put(session: Windowed<Buffer>, value: Buffer | null): void {
    const { start, end } = session.window;
    if (!this.observe(end)) {
      this.expiredPuts++;
      return;
    }
    this.db.put(this.databaseKey(end, SessionKeySchema.toBinary(session.key, start, end)), value);
  }

  remove(session: Windowed<Buffer>): void {
    this.put(session, null);
  }

  fetchSession(key: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    if (sessionEnd < this.minLiveTime()) return null;
    return this.db.get(
      this.databaseKey(sessionEnd, SessionKeySchema.toBinary(key, sessionStart, sessionEnd)),
    );
  }

  findSessions(
    key: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new GeneratorIterator(this.scanKey(key, earliestSessionEndTime, latestSessionStartTime));
  }

  findSessionsInKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
  ): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return new GeneratorIterator(
      this.scanKeyRange(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime),
    );
  }

  fetch(key: Buffer): KeyValueIterator<Windowed<Buffer>, Buffer> {
    return this.findSessions(key, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  protected restoreOne(record: RestoreRecord, keys: Buffer[], values: (Buffer | null)[]): void {
    const end = SessionKeySchema.extractEnd(record.key);
    if (!this.observe(end)) return;
    keys.push(this.databaseKey(end, record.key));
    values.push(record.value);
  }

  /** Sessions of one key with end >= earliestEnd and start <= latestStart, by end, then start. */
  private *scanKey(
    key: Buffer,
    earliestEnd: number,
    latestStart: number,
  ): Generator<KeyValue<Windowed<Buffer>, Buffer>, void> {
    const from = Math.max(earliestEnd, this.minLiveTime());
    const length = 8 + key.length + 16;
    for (const segment of this.segmentIds(from, Number.POSITIVE_INFINITY)) {
      const prefix = this.segmentPrefix(segment, key);
      for (const entry of this.db.range(prefix, RocksDBSegmentedStore.successor(prefix))) {
        if (entry.key.length !== length) continue; // a longer key that starts with the same bytes
        const tail = RocksDBSegmentedStore.tailOf(entry.key);
        const end = SessionKeySchema.extractEnd(tail);
        const start = SessionKeySchema.extractStart(tail);
        if (end < from || start > latestStart) continue;
        yield { key: windowed(key, start, end), value: entry.value };
      }
    }
  }

  /** As scanKey for keys in [keyFrom, keyTo], by end, then key bytes, then start. */
  private *scanKeyRange(
    keyFrom: Buffer | undefined,
    keyTo: Buffer | undefined,
    earliestEnd: number,
    latestStart: number,
  ): Generator<KeyValue<Windowed<Buffer>, Buffer>, void> {
    if (keyFrom !== undefined && keyTo !== undefined && Buffer.compare(keyFrom, keyTo) > 0) return;
    const from = Math.max(earliestEnd, this.minLiveTime());
    for (const segment of this.segmentIds(from, Number.POSITIVE_INFINITY)) {
      const lower = this.segmentPrefix(segment, keyFrom);
      const upper = RocksDBSegmentedStore.successor(this.segmentPrefix(segment, keyTo));
      const found: FoundSession[] = [];
      for (const entry of this.db.range(lower, upper)) {
        const tail = RocksDBSegmentedStore.tailOf(entry.key);
        const key = SessionKeySchema.extractKey(tail);
        if (keyFrom !== undefined && Buffer.compare(key, keyFrom) < 0) continue;
        if (keyTo !== undefined && Buffer.compare(key, keyTo) > 0) continue;
        const end = SessionKeySchema.extractEnd(tail);
        const start = SessionKeySchema.extractStart(tail);
        if (end < from || start > latestStart) continue;
        found.push({ key, start, end, value: entry.value });
      }
      found.sort((a, b) => a.end - b.end || Buffer.compare(a.key, b.key) || a.start - b.start);
      for (const s of found) yield { key: windowed(s.key, s.start, s.end), value: s.value };
    }
  }
}
