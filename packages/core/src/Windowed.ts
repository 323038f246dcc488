/** A time window [start, end): start inclusive, end exclusive, in epoch milliseconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** A key together with the window it was aggregated in; the key type of windowed tables. */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

export function windowed<K>(key: K, start: number, end: number): Windowed<K> {
  return { key, window: { start, end } };
}
