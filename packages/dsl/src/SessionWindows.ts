import { checkMillis } from './internal/checkMillis.js';

/**
 * Session windows: records of a key closer than `inactivityGapMs` to each other form one session
 * `[first, last]` (both inclusive); a record bridging two sessions merges them. A session accepts records until
 * stream time reaches its end + grace. Immutable.
 */
export class SessionWindows {
  private constructor(
    readonly inactivityGapMs: number,
    readonly graceMs: number,
  ) {}

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    checkMillis('SessionWindows', 'inactivity gap', inactivityGapMs, 1);
    checkMillis('SessionWindows', 'grace', graceMs, 0);
    return new SessionWindows(inactivityGapMs, graceMs);
  }

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }
}
