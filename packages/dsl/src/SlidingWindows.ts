import { checkMillis } from './internal/checkMillis.js';

/**
 * Sliding windows, as Kafka Streams defines them: windows of `timeDifferenceMs` with both ends inclusive,
 * created only where records are (each record's left window `[t - d, t]` and, when needed, the right window
 * `[t + 1, t + 1 + d]`), so every distinct set of records within `d` of each other gets one window.
 * Records are accepted until stream time reaches a window's end + grace. Immutable.
 */
export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    checkMillis('SlidingWindows', 'time difference', timeDifferenceMs, 1);
    checkMillis('SlidingWindows', 'grace', graceMs, 0);
    return new SlidingWindows(timeDifferenceMs, graceMs);
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }
}
