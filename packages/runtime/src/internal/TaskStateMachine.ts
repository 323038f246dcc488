import { IllegalStateError } from '@tributary/core';
import type { TaskState } from '../TaskState.js';

const TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = {
  created: ['restoring', 'suspended'],
  restoring: ['running', 'suspended'],
  running: ['suspended'],
  suspended: ['restoring', 'closed'],
  closed: ['created'],
};

/** Holds a task's state and rejects transitions that are not in the state machine. */
export class TaskStateMachine {
  private current: TaskState = 'created';

  constructor(private readonly taskName: string) {}

  get state(): TaskState {
    return this.current;
  }

  isValidTransition(to: TaskState): boolean {
    return TRANSITIONS[this.current].includes(to);
  }

  transitionTo(to: TaskState): void {
    if (!this.isValidTransition(to)) {
      throw new IllegalStateError(
        `${this.taskName} cannot go from state '${this.current}' to '${to}'; ` +
          `from '${this.current}' it may only go to ${TRANSITIONS[this.current].map((s) => `'${s}'`).join(' or ')}`,
      );
    }
    this.current = to;
  }

  /** Throws unless the task is in one of `allowed`, naming the operation. */
  require(operation: string, ...allowed: TaskState[]): void {
    if (!allowed.includes(this.current)) {
      throw new IllegalStateError(
        `${this.taskName} cannot ${operation} in state '${this.current}'; it must be ${allowed.map((s) => `'${s}'`).join(' or ')}`,
      );
    }
  }
}
