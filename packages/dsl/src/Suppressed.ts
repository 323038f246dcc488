import { TopologyError } from '@tributary/core';
import type { BufferConfig } from './BufferConfig.js';
import { validateName } from './Named.js';

/**
 * How `KTable.suppress` holds back updates: `untilWindowCloses` forwards one final result per window once
 * stream time reaches the window's end + grace; `untilTimeLimit` forwards a key's latest value once stream time
 * is `timeToWaitMs` past its first buffered update. Immutable.
 */
export class Suppressed {
  private constructor(
    readonly kind: 'until-window-closes' | 'until-time-limit',
    readonly timeToWaitMs: number,
    readonly bufferConfig: BufferConfig,
    readonly name: string | undefined,
  ) {}

  /** Final results of a windowed table; the buffer must not emit early (unbounded or shutDownWhenFull). */
  static untilWindowCloses(bufferConfig: BufferConfig): Suppressed {
    if (bufferConfig.whenFull !== 'shut-down') {
      throw new TopologyError(
        'Suppressed.untilWindowCloses needs a strict buffer (BufferConfig.unbounded() or .shutDownWhenFull()): ' +
          'emitting early would break the one-result-per-window guarantee',
      );
    }
    return new Suppressed('until-window-closes', 0, bufferConfig, undefined);
  }

  /** Rate-limits updates: a key's latest value is forwarded `timeToWaitMs` of stream time after its first update. */
  static untilTimeLimit(timeToWaitMs: number, bufferConfig: BufferConfig): Suppressed {
    if (!Number.isSafeInteger(timeToWaitMs) || timeToWaitMs < 0) {
      throw new TopologyError(
        `Suppressed.untilTimeLimit(${timeToWaitMs}): give a whole number of milliseconds >= 0`,
      );
    }
    return new Suppressed('until-time-limit', timeToWaitMs, bufferConfig, undefined);
  }

  /** Names the suppress processor `name` and its buffer store `<name>-store`. */
  withName(name: string): Suppressed {
    return new Suppressed(this.kind, this.timeToWaitMs, this.bufferConfig, validateName(name, 'Suppressed'));
  }
}
