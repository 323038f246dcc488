import { IllegalStateError } from '@tributary/core';
import type { StateStoreContext } from '../StateStoreContext.js';

/** The changelog topic a change-logging store writes to; fails init loudly when the task gave none. */
export function changelogTopicOf(storeName: string, context: StateStoreContext): string {
  const topic = context.changelogTopic;
  if (topic === undefined) {
    throw new IllegalStateError(
      `State store '${storeName}' has change-logging enabled but task ${context.taskId} gave it no changelog ` +
        'topic; the runtime must pass the changelog topic for every store whose logConfig.enabled is true ' +
        '(or build the store withLoggingDisabled()).',
    );
  }
  return topic;
}
