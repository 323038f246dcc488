import type { PartitionLag, StreamsMetrics, TaskMetricsSnapshot } from '../StreamsMetrics.js';
import type { StreamThreadHandle } from './StreamThreadHandle.js';

/**
 * One metrics snapshot of an instance: every in-process thread's task counters, each task's processing rate
 * against `previous` (processed totals by task id, `elapsedMs` ago; 0 without them), the lag each thread
 * reported, and instance totals.
 */
export function metricsSnapshot(
  instance: { application: string; state: string; threads: readonly StreamThreadHandle[] },
  standbyTasks: readonly string[],
  previous: ReadonlyMap<string, number>,
  elapsedMs: number,
  lags: readonly (readonly PartitionLag[])[],
  at: number,
): StreamsMetrics {
  const rate = (now: number, before: number | undefined) =>
    elapsedMs > 0 && before !== undefined ? ((now - before) * 1000) / elapsedMs : 0;
  const threads = instance.threads.map((thread, i) => {
    const tasks: TaskMetricsSnapshot[] = (thread.taskMetrics?.() ?? []).map(({ taskId, metrics }) => ({
      taskId,
      ...metrics,
      processRate: rate(metrics.processedTotal, previous.get(taskId)),
    }));
    return {
      name: thread.name,
      state: thread.state,
      commitTotal: thread.commitCount,
      tasks,
      lag: lags[i] ?? [],
    };
  });
  const tasks = threads.flatMap((t) => t.tasks);
  return {
    at,
    application: instance.application,
    state: instance.state,
    threads,
    processedTotal: tasks.reduce((n, t) => n + t.processedTotal, 0),
    droppedRecordsTotal: tasks.reduce((n, t) => n + t.droppedRecordsTotal, 0),
    processRate: tasks.reduce((n, t) => n + t.processRate, 0),
    standbyTasks,
  };
}
