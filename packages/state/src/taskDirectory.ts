import { join } from 'node:path';
import type { TaskId } from '@tributary/core';

/**
 * A task's local state directory, as in Kafka Streams: `<state.dir>/<application.id>/<task id>`. Persistent
 * stores live below it (RocksDB: `rocksdb/<store>`); wiping a corrupted task deletes it.
 */
export function taskDirectory(stateDir: string, applicationId: string, taskId: TaskId): string {
  return join(stateDir, applicationId, taskId.toString());
}
