import { StreamsError } from '@tributary/core';

/**
 * A state store was used when it cannot serve: before `init`, after `close`, or (for interactive queries)
 * while its task is not running here. The message names the store and what to do.
 */
export class InvalidStateStoreError extends StreamsError {
  static notInitialised(storeName: string): InvalidStateStoreError {
    return new InvalidStateStoreError(
      `State store '${storeName}' is not initialised: call init(context) first. Processors must look stores up ` +
        'with context.getStateStore() in init(), not in their constructor.',
    );
  }

  static closed(storeName: string): InvalidStateStoreError {
    return new InvalidStateStoreError(
      `State store '${storeName}' is closed (its task was closed or migrated to another instance); ` +
        'do not keep store references beyond the task, look the store up again after the task is re-created.',
    );
  }
}
