import { TopologyError } from '@tributary/core';

/**
 * The time bounds of a stream-stream join: a record at time t of the left stream joins right records with
 * timestamps in [t - beforeMs, t + afterMs]; windows close `graceMs` after their end in stream time, and only
 * then are unmatched left/outer results emitted. Immutable.
 */
export class JoinWindows {
  private constructor(
    /** How far back a left record looks for right records (ms). */
    readonly beforeMs: number,
    /** How far ahead a left record looks for right records (ms). */
    readonly afterMs: number,
    /** How long after a window's end out-of-order records are still joined (ms). */
    readonly graceMs: number,
  ) {}

  /** Records join when their timestamps differ by at most `timeDifferenceMs`; windows stay open `graceMs` longer. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    check('timeDifferenceMs', timeDifferenceMs);
    check('graceMs', graceMs);
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, graceMs);
  }

  /** As `ofTimeDifferenceAndGrace(timeDifferenceMs, 0)`. */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Changes how far back left records look (`afterMs` must stay >= -beforeMs). */
  before(timeDifferenceMs: number): JoinWindows {
    checkBounds(timeDifferenceMs, this.afterMs);
    return new JoinWindows(timeDifferenceMs, this.afterMs, this.graceMs);
  }

  /** Changes how far ahead left records look (`beforeMs` must stay >= -afterMs). */
  after(timeDifferenceMs: number): JoinWindows {
    checkBounds(this.beforeMs, timeDifferenceMs);
    return new JoinWindows(this.beforeMs, timeDifferenceMs, this.graceMs);
  }

  /** The span of one join window, `beforeMs + afterMs`. */
  size(): number {
    return this.beforeMs + this.afterMs;
  }
}

function check(what: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TopologyError(`JoinWindows ${what} must be a non-negative integer of milliseconds, got ${ms}`);
  }
}

function checkBounds(beforeMs: number, afterMs: number): void {
  if (!Number.isSafeInteger(beforeMs) || !Number.isSafeInteger(afterMs) || beforeMs + afterMs < 0) {
    throw new TopologyError(
      `JoinWindows needs beforeMs + afterMs >= 0 (integers), got beforeMs=${beforeMs}, afterMs=${afterMs}`,
    );
  }
}
