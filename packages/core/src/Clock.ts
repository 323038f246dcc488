/** Wall-clock time in epoch milliseconds; injected so tests can control it. */
export interface Clock {
  now(): number;
}

export const SystemClock: Clock = { now: () => Date.now() };
