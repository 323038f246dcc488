import { TopologyError } from '@tributary/core';

/** Checks a duration argument of a store factory: a non-negative safe integer number of milliseconds. */
export function validateMillis(what: string, storeName: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TopologyError(
      `${what} of store '${storeName}' must be a non-negative integer of milliseconds, got ${value}`,
    );
  }
  return value;
}
