import { ConfigError, type ProducerRecord } from '@tributary/core';
import type { ClientConfig } from './ClientConfig.js';
import type { ConsumerClient } from './ConsumerClient.js';
import { toRdKafkaHeaders } from './internal/headers.js';
import { call } from './internal/promisify.js';
import { type RdKafkaTypes, rdkafka } from './internal/rdkafka.js';
import { KafkaClientError } from './KafkaClientError.js';
import { KafkaConsumer } from './KafkaConsumer.js';
import type { ProducerClient } from './ProducerClient.js';

/** An offset to commit: the offset of the next record to read. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** How long `send` waits for room in a full send queue before failing (Java's `max.block.ms`). */
const DEFAULT_MAX_BLOCK_MS = 60_000;
const QUEUE_FULL = rdkafka.CODES.ERRORS.ERR__QUEUE_FULL;
/** A one-word buffer for `Atomics.wait`: a synchronous sleep while the send queue drains. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * A producer whose `send` is synchronous (it only enqueues); delivery is confirmed by `flush()`, which rejects
 * with the first delivery error since the previous flush so that no failed send goes unnoticed.
 */
export class KafkaProducer implements ProducerClient {
  private deliveryError: KafkaClientError | undefined;
  private failedDeliveries = 0;
  /** Records handed to librdkafka, and delivery reports (success or failure) seen for them. */
  private sent = 0;
  private reported = 0;
  /** Highest acknowledged offset per topic, indexed by partition (no string built per delivery). */
  private readonly acked = new Map<string, number[]>();

  private constructor(
    private readonly producer: RdKafkaTypes.Producer,
    private readonly timeoutMs: number,
    private readonly maxBlockMs: number,
  ) {
    producer.on('delivery-report', (error, report) => {
      this.reported++;
      if (error) {
        this.failedDeliveries++;
        this.deliveryError ??= KafkaClientError.wrap('delivering a record', error);
        return;
      }
      let offsets = this.acked.get(report.topic);
      if (offsets === undefined) {
        offsets = [];
        this.acked.set(report.topic, offsets);
      }
      if (report.offset > (offsets[report.partition] ?? -1)) offsets[report.partition] = report.offset;
    });
  }

  /** Connects a producer; `transactional.id` in `config` makes it transactional (call `initTransactions`). */
  static async connect(
    config: ClientConfig,
    options: { timeoutMs?: number; maxBlockMs?: number } = {},
  ): Promise<KafkaProducer> {
    let producer: RdKafkaTypes.Producer;
    try {
      producer = new rdkafka.Producer({ dr_cb: true, ...config } as RdKafkaTypes.ProducerGlobalConfig);
    } catch (error) {
      throw new ConfigError(`the producer rejected its configuration: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    await call('connecting the producer', (cb) => producer.connect({ timeout: timeoutMs }, cb));
    producer.setPollInterval(50);
    return new KafkaProducer(producer, timeoutMs, options.maxBlockMs ?? DEFAULT_MAX_BLOCK_MS);
  }

  /**
   * The offset of the last record of `topic`/`partition` this producer had acknowledged (every record sent
   * before a resolved `flush()` is), or undefined when none was.
   */
  ackedOffset(topic: string, partition: number): number | undefined {
    return this.acked.get(topic)?.[partition];
  }

  /** Deliveries that failed since this producer was created. */
  get failedDeliveryCount(): number {
    return this.failedDeliveries;
  }

  /**
   * Enqueues one record, to `partition` when given (else `record.partition`, else the partitioner's choice).
   * When librdkafka's send queue is full (`queue.buffering.max.messages` / `.kbytes`), waits synchronously for
   * deliveries to make room, as Java's `send` blocks, for at most `maxBlockMs`; then throws a KafkaClientError
   * (code `ERR__QUEUE_FULL`). A full queue never drops the record: a commit that flushes more cached results
   * than the queue holds simply waits for the broker.
   */
  send(record: ProducerRecord, partition: number | undefined = record.partition): void {
    try {
      this.produce(record, partition);
    } catch (error) {
      if ((error as { code?: number }).code !== QUEUE_FULL)
        throw KafkaClientError.wrap(`sending to '${record.topic}'`, error);
      this.sendWhenRoom(record, partition);
    }
  }

  private produce(record: ProducerRecord, partition: number | undefined): void {
    this.producer.produce(
      record.topic,
      partition ?? null,
      record.value,
      record.key ?? undefined,
      record.timestamp,
      undefined,
      toRdKafkaHeaders(record.headers),
    );
    this.sent++;
  }

  /**
   * The slow path of `send`: serve delivery reports (librdkafka frees a queued record once its report is
   * served) and retry, sleeping a millisecond between tries. The event loop is blocked meanwhile, as the
   * stream thread would be waiting for the broker anyway; the reports reach JavaScript afterwards.
   */
  private sendWhenRoom(record: ProducerRecord, partition: number | undefined): void {
    const deadline = Date.now() + this.maxBlockMs;
    for (;;) {
      this.producer.poll();
      Atomics.wait(sleeper, 0, 0, 1);
      try {
        this.produce(record, partition);
        return;
      } catch (error) {
        const full = (error as { code?: number }).code === QUEUE_FULL;
        if (full && Date.now() < deadline) continue;
        throw KafkaClientError.wrap(
          full
            ? `sending to '${record.topic}' (the send queue stayed full for ${this.maxBlockMs} ms: the broker is ` +
                'not acknowledging; check that it is reachable, or raise producer.queue.buffering.max.messages)'
            : `sending to '${record.topic}'`,
          error,
        );
      }
    }
  }

  /** Sends many records; when the send queue is full, yields to the event loop until it has room again. */
  async sendAll(records: Iterable<ProducerRecord>): Promise<void> {
    for (const record of records) {
      for (;;) {
        try {
          this.produce(record, record.partition);
          break;
        } catch (error) {
          if ((error as { code?: number }).code !== QUEUE_FULL) {
            throw KafkaClientError.wrap(`sending to '${record.topic}'`, error);
          }
          await call('waiting for the send queue', (cb) => this.producer.flush(100, cb)).catch(
            () => undefined,
          );
        }
      }
    }
  }

  /**
   * Waits until every enqueued record is acknowledged and its delivery report has been seen; rejects with the
   * first delivery error since the last flush. librdkafka's flush returns once its queue is empty, but the
   * reports reach JavaScript a little later: without waiting for them a failed delivery could go unnoticed and
   * `ackedOffset` would lag behind.
   */
  async flush(): Promise<void> {
    await call('flushing the producer', (cb) => this.producer.flush(this.timeoutMs, cb));
    await this.settleReports('flushing the producer');
    const error = this.deliveryError;
    this.deliveryError = undefined;
    if (error) throw error;
  }

  initTransactions(): Promise<void> {
    return call('initialising transactions', (cb) => this.producer.initTransactions(this.timeoutMs, cb));
  }

  beginTransaction(): Promise<void> {
    return call('beginning a transaction', (cb) => this.producer.beginTransaction(cb));
  }

  /** Adds the consumer's offsets to the open transaction, with the consumer's group metadata (fences zombies). */
  sendOffsetsToTransaction(
    offsets: readonly TopicPartitionOffset[],
    consumer: ConsumerClient,
  ): Promise<void> {
    if (!(consumer instanceof KafkaConsumer)) {
      throw new ConfigError('sendOffsetsToTransaction needs the KafkaConsumer of the same client supplier');
    }
    return call('sending offsets to the transaction', (cb) =>
      this.producer.sendOffsetsToTransaction(
        offsets.map((o) => ({ ...o })),
        consumer.rdkafkaConsumer,
        this.timeoutMs,
        cb,
      ),
    );
  }

  commitTransaction(): Promise<void> {
    return call('committing the transaction', (cb) => this.producer.commitTransaction(this.timeoutMs, cb));
  }

  /**
   * Aborts the open transaction. Its records are purged or written as aborted: their delivery reports (and
   * errors) are consumed here, and the acknowledged offsets are forgotten, so nothing of the aborted
   * transaction reaches the next flush or a store checkpoint.
   */
  async abortTransaction(): Promise<void> {
    await call('aborting the transaction', (cb) => this.producer.abortTransaction(this.timeoutMs, cb));
    await this.settleReports('aborting the transaction');
    this.deliveryError = undefined;
    this.acked.clear();
  }

  /** Waits until every record sent so far has had its delivery report (they reach JS after librdkafka's). */
  private async settleReports(doing: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (this.reported < this.sent) {
      if (Date.now() > deadline) {
        throw new KafkaClientError(
          `${doing} failed: ${this.sent - this.reported} of ${this.sent} delivery reports did not arrive within ` +
            `${this.timeoutMs} ms`,
          { code: undefined, fatal: false, retriable: true, txnRequiresAbort: true, migrated: false },
        );
      }
      this.producer.poll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  async close(): Promise<void> {
    await call('disconnecting the producer', (cb) => this.producer.disconnect(this.timeoutMs, cb));
  }
}
