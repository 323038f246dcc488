import type { Logger } from '@tributary/core';
import type { ExceptionHandlerSettings, NegativeTimestampPolicy } from '@tributary/runtime';

/** Options of a TopologyTestDriver. */
export interface TopologyTestDriverConfig {
  /** Default `test-driver-app`; internal topics are named `<applicationId>-<name>`. */
  readonly applicationId?: string;
  /**
   * Partition counts per topic, by real name (for internal topics the unprefixed name works too). Topics not
   * listed get `defaultPartitions`; repartition topics without a count take the count of the sub-topology
   * writing to them (or of their co-partitioning group).
   */
  readonly partitions?: Readonly<Record<string, number>>;
  /** Default 1. */
  readonly defaultPartitions?: number;
  /** Mock wall-clock start time; default 0. `advanceWallClockTime` moves it. */
  readonly initialWallClockTimeMs?: number;
  /**
   * The producer partitioner for keyed records piped in and for keyed records of sinks without a
   * StreamPartitioner; default Kafka's murmur2 of the key bytes. Null keys go round-robin per topic.
   */
  readonly partitioner?: (topic: string, keyBytes: Buffer, numPartitions: number) => number;
  /**
   * `after-each-record` (default): commit every task after each piped record (flushing store caches, like
   * Kafka Streams' driver); `manual`: only on `commit()`, `advanceWallClockTime()` and `close()`.
   */
  readonly commit?: 'after-each-record' | 'manual';
  /**
   * Kafka's `max.task.idle.ms` against the mock clock; default 0: a task waits only for empty partitions whose
   * data is still "on the broker" (see `holdInput`); > 0 also waits that long for caught-up empty partitions
   * (then processes anyway: enforced processing, counted in `taskMetrics()`); -1 never waits.
   */
  readonly maxTaskIdleMs?: number;
  /** Where tasks report enforced processing (info); none by default. */
  readonly logger?: Logger;
  /**
   * Kafka's `statestore.cache.max.bytes`: the byte budget of each caching store's record cache; default 10 MiB.
   * 0 turns caching off for every store, as in Kafka Streams (no need for `withCachingDisabled()` per store).
   */
  readonly cacheMaxBytes?: number;
  /** Default `fail`. */
  readonly negativeTimestamp?: NegativeTimestampPolicy;
  /**
   * Kafka's `state.dir`: where persistent stores (RocksDB) keep their files, given to every task's stores. Left in
   * place by `close()`. Default: a new temporary directory (`<os.tmpdir()>/tributary-driver-*`, made when the
   * topology has stores), deleted with everything in it by `close()`.
   */
  readonly stateDir?: string;
  /** `deserialization.exception.handler`: `'logAndFail'` (default), `'logAndContinue'` or a function. */
  readonly deserializationExceptionHandler?: ExceptionHandlerSettings['deserialization'];
  /** `processing.exception.handler`: `'logAndFail'` (default), `'logAndContinue'` or a function. */
  readonly processingExceptionHandler?: ExceptionHandlerSettings['processing'];
  /** `production.exception.handler`: `'fail'` (default), `'continue'` or a function. */
  readonly productionExceptionHandler?: ExceptionHandlerSettings['production'];
  /**
   * `errors.dead.letter.queue.topic.name`: the built-in handlers write failing records there; read them with
   * `createOutputTopic(<that name>, ...)`.
   */
  readonly deadLetterQueueTopic?: string;
  /** Where a skipped record is reported; default `console.warn`. */
  readonly log?: (message: string) => void;
  /**
   * The producer's `message.max.bytes`: a record whose key, value and headers are larger is refused with a
   * RecordTooLargeError (for the production exception handler), as librdkafka does. Default 1000000.
   */
  readonly maxRecordBytes?: number;
}
