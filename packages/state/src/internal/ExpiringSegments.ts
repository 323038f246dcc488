import { type KeyedEntry, OrderedBytesMap } from './OrderedBytesMap.js';
import { SortedNumbers } from './SortedNumbers.js';

/**
 * The segments of an in-memory window or session store: one byte-ordered map of keys per time (window start,
 * session end), and the store's own clock, the observed stream time (the largest time observed). A segment
 * expires, and is dropped, once its time is <= observed stream time - retention.
 */
export class ExpiringSegments<E extends KeyedEntry> {
  private readonly segments = new Map<number, OrderedBytesMap<E>>();
  private readonly times = new SortedNumbers();
  private observedStreamTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly retentionMs: number) {}

  /** The smallest live time: segments with time <= observed stream time - retention have expired. */
  minLiveTime(): number {
    return this.observedStreamTime - this.retentionMs + 1;
  }

  /** Moves the observed stream time to `time` when later, dropping the segments that expire with it. */
  observe(time: number): void {
    if (time > this.observedStreamTime) {
      this.observedStreamTime = time;
      for (const expired of this.times.removeBelow(this.minLiveTime())) this.segments.delete(expired);
    }
  }

  get(time: number): OrderedBytesMap<E> | undefined {
    return this.segments.get(time);
  }

  getOrCreate(time: number): OrderedBytesMap<E> {
    let segment = this.segments.get(time);
    if (segment === undefined) {
      segment = new OrderedBytesMap();
      this.segments.set(time, segment);
      this.times.insert(time);
    }
    return segment;
  }

  /** Drops the segment of `time` if it holds nothing any more. */
  dropIfEmpty(time: number, segment: OrderedBytesMap<E>): void {
    if (segment.size === 0) {
      this.segments.delete(time);
      this.times.remove(time);
    }
  }

  /** The times of live segments in [from, to], ascending (a copy). */
  liveTimes(from: number, to: number): number[] {
    return this.times.slice(Math.max(from, this.minLiveTime()), to);
  }

  clear(): void {
    this.segments.clear();
    this.times.values = [];
  }
}
