import type { TaskMetrics } from '@tributary/runtime';
import type { StateStore } from '@tributary/state';
import type { PartitionLag } from '../StreamsMetrics.js';
import type { StreamThreadState } from './StreamThread.js';

/** What KafkaStreams sees of a stream thread, whether it runs in this event loop or in a worker thread. */
export interface StreamThreadHandle {
  readonly name: string;
  readonly state: StreamThreadState;
  readonly commitCount: number;
  /** Since when (epoch ms) the thread finds the Kafka cluster unreachable; undefined when it does not. */
  readonly brokersUnreachableSince?: number | undefined;
  taskIds(): string[];
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** The instances of store `name` in this thread's tasks; absent when the thread runs in another process. */
  localStores?(name: string): StateStore[];
  /** Counters of this thread's tasks; absent when the thread runs in another process. */
  taskMetrics?(): { taskId: string; metrics: TaskMetrics }[];
  /** Lag of each input partition of this thread (asks the broker for end offsets). */
  consumerLag?(): Promise<PartitionLag[]>;
}
