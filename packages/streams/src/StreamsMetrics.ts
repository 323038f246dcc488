import type { TaskMetrics } from '@tributary/runtime';

/** One task's counters, and its processing rate over the last interval of `metrics$` (records/s). */
export interface TaskMetricsSnapshot extends TaskMetrics {
  readonly taskId: string;
  /** Records per second since the previous `metrics$` snapshot; 0 in `metrics()`. */
  readonly processRate: number;
}

/** How far a thread's consumer is behind the end of an input partition. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The partition's end offset (high watermark) minus the consumer's position; -1 when unknown. */
  readonly lag: number;
}

export interface ThreadMetricsSnapshot {
  readonly name: string;
  readonly state: string;
  readonly commitTotal: number;
  readonly tasks: readonly TaskMetricsSnapshot[];
  /** Only in `metrics$` (asked of the broker once per interval); empty in `metrics()`. */
  readonly lag: readonly PartitionLag[];
}

/** What `KafkaStreams.metrics()` and `metrics$` report: per thread and task, with instance totals. */
export interface StreamsMetrics {
  readonly at: number;
  readonly application: string;
  readonly state: string;
  readonly threads: readonly ThreadMetricsSnapshot[];
  readonly processedTotal: number;
  readonly droppedRecordsTotal: number;
  /** Records per second over the last interval, all tasks together (0 in `metrics()`). */
  readonly processRate: number;
  readonly standbyTasks: readonly string[];
}
