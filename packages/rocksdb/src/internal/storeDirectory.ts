import { join } from 'node:path';
import { StreamsError } from '@tributary/core';
import { type StateStoreContext, taskDirectory } from '@tributary/state';

/**
 * Where a task's RocksDB store lives, as in Kafka Streams: `<state.dir>/<application.id>/<task id>/rocksdb/<store>`.
 */
export function storeDirectory(context: StateStoreContext, storeName: string): string {
  if (context.stateDir === undefined) {
    throw new StreamsError(
      `RocksDB store '${storeName}' of task ${context.taskId} needs a state directory, but none was configured; ` +
        'set state.dir (KafkaStreams) or stateDir (TopologyTestDriver), or use in-memory stores',
    );
  }
  return join(taskDirectory(context.stateDir, context.applicationId, context.taskId), 'rocksdb', storeName);
}
