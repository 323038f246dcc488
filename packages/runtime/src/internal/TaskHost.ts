import type { Clock, ConsumerRecord, Headers, Record, StreamsError, TaskId } from '@tributary/core';
import type { Cancellable, PunctuationType, Punctuator } from '@tributary/dsl';
import type { StateStore } from '@tributary/state';
import type { RecordCollector } from '../RecordCollector.js';
import type { RuntimeNode } from './RuntimeNode.js';

/**
 * What a task's nodes and processor contexts share: the record being processed and the services of the task.
 * Mutable on purpose: it is updated per record and per forward, with no allocation.
 */
export interface TaskHost {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** `Task 0_1` (or `Global task`), for error messages. */
  readonly taskName: string;
  readonly collector: RecordCollector;
  readonly clock: Clock;
  /** Resolves a user/internal topic name to the real topic name. */
  resolveTopic(topic: string): string;
  currentNode: RuntimeNode | undefined;
  /** Timestamp of the record passed to the current node (or the punctuation time). */
  currentTimestamp: number;
  /** The consumed record being processed; undefined inside punctuators. */
  recordMetadata: ConsumerRecord | undefined;
  commitRequested: boolean;
  /** A processor dropped a record (late for its window, null key): counted in the task's droppedRecordsTotal. */
  recordDropped(): void;
  streamTime(): number;
  schedule(node: RuntimeNode, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** A store the node may use (connected, or global); throws a TopologyError otherwise. */
  getStateStore(node: RuntimeNode, name: string): StateStore;
  /**
   * `node`'s processor threw `error` on `record`: the processing exception handler decides. Returns to go on
   * with the next record, throws to stop (an error already handled further down is thrown again as it is).
   */
  processingFailed(node: RuntimeNode, record: Record<unknown, unknown>, error: unknown): void;
  /**
   * Sink `node` could not serialize (`origin` set; `failure` describes it) or send (`origin` undefined) a
   * record: the production exception handler decides. Returns to skip the record, throws to stop.
   */
  productionFailed(
    node: RuntimeNode,
    record: { topic: string; key: unknown; value: unknown; timestamp: number; headers: Headers },
    error: unknown,
    origin: 'key' | 'value' | undefined,
    failure: StreamsError,
  ): void;
}
