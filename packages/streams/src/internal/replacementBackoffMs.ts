/** REPLACE_THREAD waits 1 s, 2 s, 4 s … up to this long before each replacement in a streak of deaths. */
export const MAX_REPLACEMENT_BACKOFF_MS = 60_000;

/** The wait before replacing a thread that died `streak` deaths into a streak (0: the first, replaced at once). */
export function replacementBackoffMs(streak: number): number {
  return streak === 0 ? 0 : Math.min(1_000 * 2 ** (streak - 1), MAX_REPLACEMENT_BACKOFF_MS);
}
