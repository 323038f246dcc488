import { TopologyError } from '@tributary/core';

/** Window option durations: a whole number of milliseconds, at least `min`. */
export function checkMillis(owner: string, what: string, ms: number, min: number): void {
  if (!Number.isSafeInteger(ms) || ms < min) {
    throw new TopologyError(
      `${owner}: the ${what} must be a whole number of milliseconds >= ${min}, got ${String(ms)}`,
    );
  }
}
