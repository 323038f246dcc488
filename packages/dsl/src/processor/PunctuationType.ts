/** `stream-time` punctuators fire as record timestamps advance; `wall-clock` ones as system time passes. */
export type PunctuationType = 'stream-time' | 'wall-clock';

/** Called with the punctuation time (stream time or wall-clock time, per the schedule). */
export type Punctuator = (timestamp: number) => void;

/** Returned by `schedule`; `cancel()` stops further punctuations. */
export interface Cancellable {
  cancel(): void;
}
