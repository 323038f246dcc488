import { StreamsError } from './StreamsError.js';
import type { TaskId } from './TaskId.js';

/** A task's local state cannot be trusted: wipe that task's stores and restore them from the changelog. */
export class TaskCorruptedError extends StreamsError {
  /** The tasks to wipe (empty when the thrower does not know them). */
  readonly taskIds: readonly TaskId[];

  constructor(message: string, options?: { cause?: unknown; taskIds?: readonly TaskId[] }) {
    super(message, options);
    this.taskIds = options?.taskIds ?? [];
  }
}
