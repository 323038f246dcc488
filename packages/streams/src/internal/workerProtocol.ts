import type { StreamThreadState } from './StreamThread.js';

/** Sent to a stream-thread process first (must be serializable: no serdes, no functions). */
export interface WorkerStart {
  readonly type: 'start';
  readonly module: string;
  readonly exportName: string | undefined;
  readonly config: Readonly<Record<string, string | number | boolean>>;
  readonly counts: readonly (readonly [string, number])[];
  readonly processId: string;
  readonly index: number;
  readonly name: string;
}

export type MainToWorker = WorkerStart | { readonly type: 'shutdown' };

export type WorkerToMain =
  | { readonly type: 'state'; readonly state: StreamThreadState }
  | { readonly type: 'rebalance'; readonly phase: 'started' | 'done'; readonly taskIds: readonly string[] }
  | { readonly type: 'commits'; readonly count: number }
  | {
      readonly type: 'restore';
      readonly phase: 'start' | 'batch' | 'end';
      readonly topic: string;
      readonly partition: number;
      readonly storeName: string;
      /** start: [startingOffset, endingOffset]; batch: [batchEndOffset, numRestored]; end: [totalRestored]. */
      readonly numbers: readonly number[];
    }
  | { readonly type: 'error'; readonly message: string; readonly stack: string | undefined };
