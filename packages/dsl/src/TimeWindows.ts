import { TopologyError } from '@tributary/core';
import { checkMillis } from './internal/checkMillis.js';

/**
 * Fixed-size, epoch-aligned windows `[start, start + size)`: tumbling (advance = size) or hopping
 * (`advanceBy(advance)`, a record falls into `size / advance` windows). A record is accepted by a window until
 * stream time reaches `end + grace`; later records for it are dropped and counted. Durations in ms. Immutable.
 */
export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  /** Tumbling windows of `sizeMs` accepting out-of-order records for `graceMs` after they end. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    checkMillis('TimeWindows', 'size', sizeMs, 1);
    checkMillis('TimeWindows', 'grace', graceMs, 0);
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  /** Tumbling windows of `sizeMs` that close as soon as stream time reaches their end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Hopping windows: a new window starts every `advanceMs` (0 < advance <= size). */
  advanceBy(advanceMs: number): TimeWindows {
    checkMillis('TimeWindows', 'advance', advanceMs, 1);
    if (advanceMs > this.sizeMs) {
      throw new TopologyError(
        `TimeWindows.advanceBy(${advanceMs}): the advance must not exceed the window size ${this.sizeMs} ms`,
      );
    }
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** Start of the first window containing `timestamp` (windows start at 0 or later, as in Kafka Streams). */
  firstWindowStart(timestamp: number): number {
    const advance = this.advanceMs;
    return Math.floor(Math.max(0, timestamp - this.sizeMs + advance) / advance) * advance;
  }

  /** Starts of every window containing `timestamp`, ascending. */
  windowStartsFor(timestamp: number): number[] {
    const starts: number[] = [];
    for (let s = this.firstWindowStart(timestamp); s <= timestamp; s += this.advanceMs) starts.push(s);
    return starts;
  }
}
