import { ConfigError, type ConsumerRecord, type TopicPartition } from '@tributary/core';
import type { ClientConfig } from './ClientConfig.js';
import type { ConsumerClient } from './ConsumerClient.js';
import { fromRdKafkaHeaders } from './internal/headers.js';
import { call } from './internal/promisify.js';
import { type RdKafkaTypes, rdkafka } from './internal/rdkafka.js';
import { KafkaClientError } from './KafkaClientError.js';
import type { TopicPartitionOffset } from './KafkaProducer.js';

/** The rebalance-callback methods the binding has but does not declare in its types. */
interface RebalancingConsumer {
  rebalanceProtocol(): 'COOPERATIVE' | 'EAGER' | 'NONE';
  incrementalAssign(partitions: TopicPartition[]): void;
  incrementalUnassign(partitions: TopicPartition[]): void;
  assign(partitions: TopicPartition[]): void;
  unassign(): void;
  assignmentLost(): boolean;
}

/**
 * Told of every assignment change. The consumer applies the change (assign/unassign) only once the returned
 * promise settles, so a listener can commit and close tasks before its partitions go to another member.
 * `lost` is true when the partitions were taken away without a clean revocation (e.g. `max.poll.interval.ms`
 * exceeded): their offsets can no longer be committed.
 */
export type RebalanceListener = (
  event: 'assign' | 'revoke',
  partitions: readonly TopicPartition[],
  lost: boolean,
) => void | Promise<void>;

function toConsumerRecord(message: RdKafkaTypes.Message): ConsumerRecord {
  const key = message.key;
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: key === undefined || key === null ? null : Buffer.isBuffer(key) ? key : Buffer.from(String(key)),
    value: message.value,
    timestamp: message.timestamp ?? -1,
    headers: fromRdKafkaHeaders(message.headers),
  };
}

/** A group consumer that hands out batches of core `ConsumerRecord`s. Offsets are committed explicitly. */
export class KafkaConsumer implements ConsumerClient {
  private constructor(
    private readonly consumer: RdKafkaTypes.KafkaConsumer,
    private readonly timeoutMs: number,
  ) {
    // Wait only for the first record of a poll; then take what is already fetched and return. Without this the
    // binding waits the whole timeout whenever fewer than maxRecords are queued locally.
    (
      consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void }
    ).setDefaultIsTimeoutOnlyForFirstMessage(true);
  }

  /** Connects a consumer; `group.id` is required by librdkafka for subscribe/commit. Auto-commit is off by default. */
  static async connect(
    config: ClientConfig,
    options: {
      timeoutMs?: number;
      onRebalance?: RebalanceListener;
      /**
       * Told when applying an assignment change failed (e.g. `Local: Erroneous state`: the group moved on to
       * another rebalance meanwhile, which librdkafka announces with a new event). Default: a process warning.
       * Never thrown: the failure happens after the listener settled, where nothing could catch it.
       */
      onRebalanceError?: (error: KafkaClientError) => void;
    } = {},
  ): Promise<KafkaConsumer> {
    let consumer: RdKafkaTypes.KafkaConsumer;
    const listener = options.onRebalance;
    const reportError =
      options.onRebalanceError ??
      ((error: KafkaClientError) => process.emitWarning(error.message, 'KafkaRebalance'));
    try {
      consumer = new rdkafka.KafkaConsumer({
        'enable.auto.commit': false,
        ...config,
        rebalance_cb(
          this: RebalancingConsumer,
          error: RdKafkaTypes.LibrdKafkaError,
          assignment: TopicPartition[],
        ) {
          const assigning = error.code === rdkafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS;
          const partitions = assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
          const apply = () => {
            try {
              const incremental = this.rebalanceProtocol() === 'COOPERATIVE';
              if (assigning) incremental ? this.incrementalAssign(assignment) : this.assign(assignment);
              else incremental ? this.incrementalUnassign(assignment) : this.unassign();
            } catch (error) {
              reportError(
                KafkaClientError.wrap(
                  `applying the ${assigning ? 'assignment' : 'revocation'} of ${partitions.length} partition(s)`,
                  error,
                ),
              );
            }
          };
          const lost = !assigning && this.assignmentLost();
          const pending = listener?.(assigning ? 'assign' : 'revoke', partitions, lost);
          // Apply even when the listener failed: the group must move on; the listener reports its own errors.
          if (pending === undefined) apply();
          else pending.then(apply, apply);
        },
      } as unknown as RdKafkaTypes.ConsumerGlobalConfig);
    } catch (error) {
      throw new ConfigError(`the consumer rejected its configuration: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    await call('connecting the consumer', (cb) => consumer.connect({ timeout: timeoutMs }, cb));
    return new KafkaConsumer(consumer, timeoutMs);
  }

  /** The underlying client, for the producer's `sendOffsetsToTransaction` only. */
  get rdkafkaConsumer(): RdKafkaTypes.KafkaConsumer {
    return this.consumer;
  }

  subscribe(topics: readonly (string | RegExp)[]): void {
    this.consumer.subscribe([...topics]);
  }

  assign(partitions: readonly TopicPartitionOffset[] | readonly TopicPartition[]): void {
    this.consumer.assign(partitions.map((p) => ({ ...p })));
  }

  assignment(): TopicPartition[] {
    return this.consumer.assignments().map((a) => ({ topic: a.topic, partition: a.partition }));
  }

  /** Up to `maxRecords` records, waiting at most `timeoutMs` for the first. */
  poll(maxRecords: number, timeoutMs = 100): Promise<ConsumerRecord[]> {
    this.consumer.setDefaultConsumeTimeout(timeoutMs);
    return call<RdKafkaTypes.Message[]>('polling', (cb) => this.consumer.consume(maxRecords, cb)).then(
      (messages) => messages.map(toConsumerRecord),
    );
  }

  /** Commits offsets (the next offset to read per partition) and waits for the broker's answer. */
  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await call('committing offsets', (cb) => {
      this.consumer.commitSync(offsets.map((o) => ({ ...o })));
      cb(null);
    });
  }

  /** Committed offsets of the given partitions (offset -1001 = none committed). */
  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    return call<TopicPartitionOffset[]>('reading committed offsets', (cb) =>
      this.consumer.committed(
        partitions.map((p) => ({ ...p })),
        this.timeoutMs,
        cb,
      ),
    ).then((result) => result.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset })));
  }

  seek(position: TopicPartitionOffset): Promise<void> {
    return call(`seeking ${position.topic}-${position.partition} to ${position.offset}`, (cb) =>
      this.consumer.seek({ ...position }, this.timeoutMs, cb),
    );
  }

  /** The local position (offset of the next record to hand out) of each partition; negative when unknown. */
  position(partitions: readonly TopicPartition[]): TopicPartitionOffset[] {
    return this.consumer
      .position(partitions.map((p) => ({ ...p })))
      .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.consumer.pause(partitions.map((p) => ({ ...p })));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.consumer.resume(partitions.map((p) => ({ ...p })));
  }

  /** Low and high watermark offsets of a partition, asked of the broker. */
  watermarks(topic: string, partition: number): Promise<{ low: number; high: number }> {
    return call<RdKafkaTypes.WatermarkOffsets>(`reading watermarks of ${topic}-${partition}`, (cb) =>
      this.consumer.queryWatermarkOffsets(topic, partition, this.timeoutMs, cb),
    ).then((w) => ({ low: w.lowOffset, high: w.highOffset }));
  }

  async close(): Promise<void> {
    await call('disconnecting the consumer', (cb) => this.consumer.disconnect(cb));
  }
}
