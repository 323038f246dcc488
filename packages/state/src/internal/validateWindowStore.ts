import { TopologyError } from '@tributary/core';
import { validateMillis } from './validateMillis.js';
import { validateStoreName } from './validateStoreName.js';

/**
 * Checks the parameters of a window store supplier (any backend): a legal name, durations in whole
 * milliseconds, and a retention that covers the window size plus the grace period — otherwise windows would
 * be dropped while still accepting records.
 */
export function validateWindowStore(
  name: string,
  retentionMs: number,
  windowSizeMs: number,
  graceMs: number,
): void {
  validateStoreName(name);
  validateMillis('retentionMs', name, retentionMs);
  validateMillis('windowSizeMs', name, windowSizeMs);
  validateMillis('graceMs', name, graceMs);
  if (retentionMs < windowSizeMs + graceMs) {
    throw new TopologyError(
      `The retention period of window store '${name}' must be no smaller than its window size plus the grace ` +
        `period: got retentionMs=${retentionMs}, windowSizeMs=${windowSizeMs}, graceMs=${graceMs}; ` +
        `set a retention of at least ${windowSizeMs + graceMs} ms (e.g. Materialized.withRetention)`,
    );
  }
}
