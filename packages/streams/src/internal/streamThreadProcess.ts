// Entry point of a child process running one StreamThread (num.stream.threads > 1 with a TopologyModule).
// A process rather than a worker thread: the Kafka client's native binding can be loaded once per process only.
import { DefaultKafkaClientSupplier } from '@tributary/kafka';
import { StreamsConfig } from '../StreamsConfig.js';
import { GlobalStreamThread } from './GlobalStreamThread.js';
import { loadTopology } from './loadTopology.js';
import { StreamThread } from './StreamThread.js';
import type { MainToWorker, WorkerStart, WorkerToMain } from './workerProtocol.js';

const post = (message: WorkerToMain) => process.send?.(message);
const describe = (error: unknown) => ({
  message: String((error as Error)?.message ?? error),
  stack: (error as Error)?.stack,
});

// The parent is gone (crashed or killed): stop at once; uncommitted work is redone by the next owner.
process.on('disconnect', () => process.exit(1));

let thread: StreamThread | undefined;
let global: GlobalStreamThread | undefined;

async function start(init: WorkerStart): Promise<void> {
  try {
    const topology = await loadTopology({ module: init.module, exportName: init.exportName });
    const config = new StreamsConfig(init.config);
    // Each stream-thread process keeps its own copy of the GlobalKTables, loaded before it starts.
    global = new GlobalStreamThread(
      topology,
      config,
      (error) => post({ type: 'error', ...describe(error) }),
      DefaultKafkaClientSupplier,
    );
    const globalStores = await global.start();
    thread = new StreamThread(
      init.name,
      topology,
      config,
      new Map(init.counts),
      init.processId,
      init.index,
      {
        onRebalance: (t, phase) => post({ type: 'rebalance', phase, taskIds: t.taskIds() }),
        onTaskMigrated: () => {},
        onCommit: (_t, count) => post({ type: 'commits', count }),
        // The thread closed its tasks and clients; this process goes too (a replacement is a new process).
        onError: (_t, error) => {
          post({ type: 'error', ...describe(error) });
          void (global?.shutdown() ?? Promise.resolve()).finally(() => process.disconnect());
        },
        restoreListener: {
          onRestoreStart: (tp, storeName, start, end) =>
            post({ type: 'restore', phase: 'start', ...tp, storeName, numbers: [start, end] }),
          onBatchRestored: (tp, storeName, last, count) =>
            post({ type: 'restore', phase: 'batch', ...tp, storeName, numbers: [last, count] }),
          onRestoreEnd: (tp, storeName, total) =>
            post({ type: 'restore', phase: 'end', ...tp, storeName, numbers: [total] }),
        },
      },
      globalStores,
    );
    await thread.start();
    post({ type: 'state', state: 'running' });
  } catch (error) {
    post({ type: 'error', ...describe(error) });
    process.disconnect();
  }
}

process.on('message', (message: MainToWorker) => {
  if (message.type === 'start') void start(message);
  else if (message.type === 'shutdown') {
    void (thread?.shutdown() ?? Promise.resolve()).then(async () => {
      await global?.shutdown();
      post({ type: 'state', state: 'dead' });
      process.disconnect();
    });
  }
});
