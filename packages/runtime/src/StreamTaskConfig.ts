import type { Clock, Logger, TaskId, TopicPartition } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import type { StateStore } from '@tributary/state';
import type { ExceptionHandlerSettings } from './ExceptionHandlerSettings.js';
import type { NegativeTimestampPolicy } from './NegativeTimestampPolicy.js';
import type { RecordCollector } from './RecordCollector.js';

/** Everything a StreamTask needs: which part of which topology, on which partitions, and its ports. */
export interface StreamTaskConfig {
  readonly applicationId: string;
  readonly taskId: TaskId;
  readonly topology: Topology;
  /** Input partitions with real (prefixed) topic names; usually partition `taskId.partition` of each source topic. */
  readonly inputPartitions: readonly TopicPartition[];
  readonly collector: RecordCollector;
  readonly clock: Clock;
  /**
   * Kafka's `max.task.idle.ms`; default 0: wait only for partitions whose data is known to be still on the
   * broker (`setFetchedLag`, KIP-695); > 0 also waits that long for caught-up empty partitions; -1 never waits.
   */
  readonly maxTaskIdleMs?: number;
  /** Default `fail`. */
  readonly negativeTimestamp?: NegativeTimestampPolicy;
  /** Directory for persistent stores of this task. */
  readonly stateDir?: string;
  /** Where the task reports enforced processing (info); none by default. */
  readonly logger?: Logger;
  /** Global stores (GlobalKTables), readable by every processor without being connected. */
  readonly globalStores?: ReadonlyMap<string, StateStore>;
  /**
   * Kafka's `statestore.cache.max.bytes`, the cache budget of each caching store; undefined = 10 MiB; 0 builds
   * every store without its cache (as Kafka Streams does).
   */
  readonly cacheMaxBytes?: number;
  /**
   * `statestore.uncommitted.max.bytes` (KIP-892): once the persistent stores of this task buffer more
   * uncommitted bytes than this, the task asks for a commit before the commit interval; undefined = 64 MiB.
   */
  readonly maxUncommittedBytes?: number;
  /** The deserialization, processing and production exception handlers and the dead-letter queue. */
  readonly exceptionHandlers?: ExceptionHandlerSettings;
}
