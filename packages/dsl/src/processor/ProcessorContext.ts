import type { Record, TaskId } from '@tributary/core';
import type { StateStore } from '@tributary/state';
import type { Cancellable, PunctuationType, Punctuator } from './PunctuationType.js';
import type { RecordMetadata } from './RecordMetadata.js';

/** What a processor sees of its task. Every call is synchronous. */
export interface ProcessorContext<KForward = unknown, VForward = unknown> {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /** Source topic/partition/offset of the record being processed; undefined inside a punctuator. */
  recordMetadata(): RecordMetadata | undefined;
  /** Send a record to every child, or only to the named child. */
  forward(record: Record<KForward, VForward>, childName?: string): void;
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** A store connected to this processor; throws a TopologyError naming the store if it is not connected. */
  getStateStore<S extends StateStore>(name: string): S;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** Ask for a commit as soon as possible (after the current record). */
  commit(): void;
  /**
   * Counts a record this processor dropped (late for its window, or a null key) in the task's
   * `droppedRecordsTotal`. Optional so hand-written contexts (tests) need not implement it.
   */
  recordDropped?(): void;
}
