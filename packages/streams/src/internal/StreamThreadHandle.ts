import type { StateStore } from '@tributary/state';
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
}
