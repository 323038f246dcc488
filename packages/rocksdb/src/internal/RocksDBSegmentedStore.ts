import { BigEndianTimestamp, prefixSuccessor } from '@tributary/state';
import { RocksDBStoreLifecycle } from './RocksDBStoreLifecycle.js';

const SEGMENT_ID_SIZE = 8;

/**
 * The time-segmented key space of RocksDB window and session stores, as in Kafka Streams: a record's time
 * (window start, session end) picks a segment of `max(retention / 2, 60 s)`, and every database key starts
 * with its segment id (8 bytes big-endian) followed by the changelog key layout, so scans of one key stay
 * within a segment and whole expired segments are deleted at commit. The store keeps its own
 * clock, the observed stream time (largest time put), in the checkpoint; entries older than the retention
 * are skipped by reads before their segment is dropped.
 */
export abstract class RocksDBSegmentedStore extends RocksDBStoreLifecycle {
  readonly segmentIntervalMs: number;
  protected observedStreamTime = Number.NEGATIVE_INFINITY;
  /** Puts ignored because their window or session had already expired. */
  expiredPuts = 0;
  /**
   * Segments below this id are deleted from disk already (kept in the checkpoint), so each expired segment is
   * scanned and deleted once.
   */
  private droppedBelow = 0;

  constructor(
    name: string,
    readonly retentionMs: number,
  ) {
    super(name);
    this.segmentIntervalMs = Math.max(Math.floor(retentionMs / 2), 60_000);
  }

  protected override opened(): void {
    const { observedStreamTime, droppedBelow } = this.db.checkpoint().extra;
    if (observedStreamTime !== undefined) this.observedStreamTime = observedStreamTime;
    this.droppedBelow = droppedBelow ?? 0;
  }

  protected override checkpointExtra(): Record<string, number> {
    return Number.isFinite(this.observedStreamTime)
      ? { observedStreamTime: this.observedStreamTime, droppedBelow: this.droppedBelow }
      : {};
  }

  /** The smallest live time: times <= observed stream time - retention have expired. */
  protected minLiveTime(): number {
    return this.observedStreamTime - this.retentionMs + 1;
  }

  /** Moves the observed stream time forward; returns false when `time` has expired already. */
  protected observe(time: number): boolean {
    if (time > this.observedStreamTime) this.observedStreamTime = time;
    return time >= this.minLiveTime();
  }

  /** Segment ids from the one holding `from` to the one holding `to` (times below 0 share segment 0). */
  protected segmentIds(from: number, to: number): number[] {
    const ids: number[] = [];
    if (from > to) return ids;
    const last = this.segmentId(Math.min(to, this.observedStreamTime));
    for (let id = this.segmentId(from); id <= last; id++) ids.push(id);
    return ids;
  }

  protected segmentId(time: number): number {
    if (!Number.isFinite(time) || time < 0)
      return time === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : 0;
    return Math.floor(time / this.segmentIntervalMs);
  }

  /** A database key: segment id of `time`, then `tail` (the changelog key layout). */
  protected databaseKey(time: number, tail: Buffer): Buffer {
    const out = Buffer.allocUnsafe(SEGMENT_ID_SIZE + tail.length);
    BigEndianTimestamp.write(out, 0, this.segmentId(time));
    out.set(tail, SEGMENT_ID_SIZE);
    return out;
  }

  /** The segment id and `prefix` as one buffer (a scan bound). */
  protected segmentPrefix(segmentId: number, prefix?: Buffer): Buffer {
    const out = Buffer.allocUnsafe(SEGMENT_ID_SIZE + (prefix?.length ?? 0));
    BigEndianTimestamp.write(out, 0, segmentId);
    if (prefix !== undefined) out.set(prefix, SEGMENT_ID_SIZE);
    return out;
  }

  /** The smallest key above every key that starts with `prefix` (an exclusive scan bound). */
  protected static successor(prefix: Buffer): Buffer | undefined {
    const next = prefixSuccessor(prefix.toString('latin1'));
    return next === undefined ? undefined : Buffer.from(next, 'latin1');
  }

  /** The database key without its segment id (the changelog key layout). */
  protected static tailOf(databaseKey: Buffer): Buffer {
    return databaseKey.subarray(SEGMENT_ID_SIZE);
  }

  /** Commits, deleting the segments that have expired entirely, and dropping pending writes into them. */
  override commit(changelogOffset: number | undefined): void {
    const live = this.segmentId(this.minLiveTime());
    if (!Number.isFinite(this.observedStreamTime) || live === 0) {
      super.commit(changelogOffset);
      return;
    }
    const end = this.segmentPrefix(live);
    const expired: [Buffer, Buffer][] = [];
    if (live > this.droppedBelow) {
      expired.push([this.segmentPrefix(this.droppedBelow), end]);
      this.droppedBelow = live;
    }
    this.db.commit(changelogOffset ?? null, this.checkpointExtra(), expired, (key) => key.compare(end) >= 0);
  }
}
