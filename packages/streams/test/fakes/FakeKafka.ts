import { type ConsumerRecord, Headers, type ProducerRecord, type TopicPartition } from '@tributary/core';
import {
  type AdminClient,
  type ClientConfig,
  type ConsumerClient,
  type ConsumerClientOptions,
  KafkaClientError,
  type KafkaClientSupplier,
  type KafkaErrorInfo,
  type NewTopicSpec,
  type ProducerClient,
  type RebalanceListener,
  type TopicDescription,
  type TopicPartitionOffset,
} from '@tributary/kafka';

/** A KafkaClientError as librdkafka would raise it, with the given flags. */
export function clientError(message: string, info: Partial<KafkaErrorInfo> = {}): KafkaClientError {
  return new KafkaClientError(message, {
    code: undefined,
    fatal: false,
    retriable: false,
    txnRequiresAbort: false,
    migrated: false,
    unreachable: false,
    ...info,
  });
}

type TxnState = 'open' | 'committed' | 'aborted';

interface Transaction {
  state: TxnState;
  offsets: TopicPartitionOffset[];
  group: string | undefined;
}

interface LogEntry {
  readonly record: ConsumerRecord;
  readonly txn: Transaction | undefined;
}

/** Operations a test can make fail (or hook into) once each, in order. */
export type FaultOp =
  | 'poll'
  | 'flush'
  | 'commit'
  | 'beginTransaction'
  | 'sendOffsetsToTransaction'
  | 'commitTransaction'
  | 'abortTransaction'
  | 'initTransactions'
  | 'restorePoll'
  | 'connectProducer'
  | 'connectConsumer'
  | 'committed'
  | 'watermarks';

export interface Fault {
  /** Runs first (e.g. to trigger a rebalance while a commit is under way). */
  readonly run?: () => void | Promise<void>;
  /** Thrown by the operation. */
  readonly error?: Error;
  /** Throw `error` only after the operation took effect (a commit whose outcome the client never learns). */
  readonly after?: boolean;
}

/**
 * An in-memory Kafka for unit tests of the stream loop: topics as arrays of records (offset = index),
 * transactions whose records read_committed readers see only once committed, consumer groups with committed
 * offsets, producer fencing by transactional id, and faults injected per operation.
 */
export class FakeKafka {
  private readonly topics = new Map<string, LogEntry[][]>();
  private readonly committedOffsets = new Map<string, Map<string, number>>();
  private readonly faults = new Map<FaultOp, Fault[]>();
  private readonly epochs = new Map<string, FakeProducer>();
  readonly consumers: FakeConsumer[] = [];
  readonly producers: FakeProducer[] = [];
  /** Count of calls per operation, for assertions. */
  readonly calls = new Map<string, number>();
  /** While true, every call that needs a broker fails as librdkafka's do when none answers; polls return nothing. */
  down = false;

  createTopic(name: string, partitions: number): void {
    if (!this.topics.has(name))
      this.topics.set(
        name,
        Array.from({ length: partitions }, () => []),
      );
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  partitionCount(topic: string): number {
    return this.log(topic).length;
  }

  /** Appends committed (non-transactional) string records. */
  produce(topic: string, records: readonly { key: string; value: string; partition: number }[]): void {
    for (const r of records) {
      this.append(
        topic,
        r.partition,
        {
          topic,
          key: Buffer.from(r.key),
          value: Buffer.from(r.value),
          timestamp: 1_000 + this.log(topic)[r.partition]!.length,
          headers: new Headers(),
        },
        undefined,
      );
    }
  }

  /** The records of a topic a reader with `isolation` sees (read_committed stops at the first open transaction). */
  read(topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed'): ConsumerRecord[] {
    return this.log(topic).flatMap(
      (_, p) => this.readable(topic, p, 0, Number.MAX_SAFE_INTEGER, isolation).records,
    );
  }

  committed(group: string, tp: TopicPartition): number | undefined {
    return this.committedOffsets.get(group)?.get(`${tp.topic}:${tp.partition}`);
  }

  /** Makes the next call of `op` fail (or run a hook); faults of one op apply in order, once each. */
  inject(op: FaultOp, fault: Fault): void {
    const list = this.faults.get(op) ?? [];
    list.push(fault);
    this.faults.set(op, list);
  }

  pendingFaults(op: FaultOp): number {
    return this.faults.get(op)?.length ?? 0;
  }

  /** Runs the next fault of `op` before it takes effect; returns the error to throw after it, if any. */
  async fault(op: FaultOp): Promise<Error | undefined> {
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    if (
      this.down &&
      op !== 'poll' &&
      op !== 'restorePoll' &&
      op !== 'connectProducer' &&
      op !== 'connectConsumer'
    ) {
      await new Promise((r) => setTimeout(r, 5));
      throw clientError(`${op} failed: Local: Timed out`, { unreachable: true, retriable: true });
    }
    const fault = this.faults.get(op)?.shift();
    if (fault === undefined) return undefined;
    await fault.run?.();
    if (fault.error && !fault.after) throw fault.error;
    return fault.error;
  }

  supplier(): KafkaClientSupplier {
    return {
      consumer: async (config, options) => {
        const error = await this.fault('connectConsumer');
        if (error) throw error;
        const consumer = new FakeConsumer(this, config, options);
        this.consumers.push(consumer);
        return consumer;
      },
      producer: async (config) => {
        const error = await this.fault('connectProducer');
        if (error) throw error;
        const producer = new FakeProducer(this, config);
        this.producers.push(producer);
        return producer;
      },
      admin: () => new FakeAdmin(this),
    };
  }

  // ---------------------------------------------------------------- used by the fake clients

  log(topic: string): LogEntry[][] {
    const log = this.topics.get(topic);
    if (log === undefined) throw clientError(`unknown topic '${topic}'`);
    return log;
  }

  append(topic: string, partition: number, record: ProducerRecord, txn: Transaction | undefined): number {
    const log = this.log(topic)[partition];
    if (log === undefined) throw clientError(`${topic} has no partition ${partition}`);
    const offset = log.length;
    log.push({
      record: {
        topic,
        partition,
        offset,
        key: record.key,
        value: record.value,
        timestamp: record.timestamp,
        headers: record.headers,
      },
      txn,
    });
    return offset;
  }

  /** Records of a partition from `from`, and the position after them (aborted records are skipped over). */
  readable(
    topic: string,
    partition: number,
    from: number,
    max: number,
    isolation: 'read_committed' | 'read_uncommitted',
  ): { records: ConsumerRecord[]; next: number } {
    const log = this.log(topic)[partition]!;
    const records: ConsumerRecord[] = [];
    let next = from;
    while (next < log.length && records.length < max) {
      const entry = log[next]!;
      if (isolation === 'read_committed' && entry.txn !== undefined) {
        if (entry.txn.state === 'open') break;
        if (entry.txn.state === 'aborted') {
          next++;
          continue;
        }
      }
      records.push(entry.record);
      next++;
    }
    return { records, next };
  }

  commitOffsets(group: string, offsets: readonly TopicPartitionOffset[]): void {
    let map = this.committedOffsets.get(group);
    if (map === undefined) {
      map = new Map();
      this.committedOffsets.set(group, map);
    }
    for (const o of offsets) map.set(`${o.topic}:${o.partition}`, o.offset);
  }

  /** initTransactions: the newest producer of a transactional id fences the older one and aborts its transaction. */
  fenceOlder(transactionalId: string, producer: FakeProducer): void {
    const older = this.epochs.get(transactionalId);
    if (older !== undefined && older !== producer) older.fence();
    this.epochs.set(transactionalId, producer);
  }
}

export class FakeConsumer implements ConsumerClient {
  readonly group: string | undefined;
  private readonly isolation: 'read_committed' | 'read_uncommitted';
  private readonly listener: RebalanceListener | undefined;
  private readonly positions = new Map<string, TopicPartition & { offset: number }>();
  private readonly pausedSet = new Set<string>();
  private subscription: string[] = [];
  private joined = false;
  private closed = false;
  /** The group generation this consumer belongs to; a stale one fails sendOffsetsToTransaction. */
  evicted = false;

  constructor(
    private readonly kafka: FakeKafka,
    config: ClientConfig,
    options: ConsumerClientOptions = {},
  ) {
    this.group = config['group.id'] as string | undefined;
    this.isolation = (config['isolation.level'] as 'read_committed' | undefined) ?? 'read_uncommitted';
    this.listener = options.onRebalance;
  }

  /** The partitions this consumer reads now. */
  assignment(): TopicPartition[] {
    return [...this.positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  paused(): TopicPartition[] {
    return [...this.positions.values()]
      .filter((p) => this.pausedSet.has(tpKey(p)))
      .map(({ topic, partition }) => ({ topic, partition }));
  }

  subscribe(topics: readonly string[]): void {
    this.subscription = [...topics];
  }

  /** The group hands this consumer every partition of its subscription (a group of one). */
  private assignAll(): void {
    const partitions = this.subscription.flatMap((topic) =>
      Array.from({ length: this.kafka.partitionCount(topic) }, (_, partition) => ({ topic, partition })),
    );
    this.rebalance('assign', partitions, false);
  }

  /**
   * Runs the rebalance listener as librdkafka does from inside a poll: the change is applied once the listener's
   * promise settles. Returns when it was applied.
   */
  rebalance(kind: 'assign' | 'revoke', partitions: readonly TopicPartition[], lost: boolean): Promise<void> {
    const apply = () => {
      for (const tp of partitions) {
        if (kind === 'assign') {
          const committed = this.group === undefined ? undefined : this.kafka.committed(this.group, tp);
          this.positions.set(tpKey(tp), { ...tp, offset: committed ?? 0 });
        } else {
          this.positions.delete(tpKey(tp));
          this.pausedSet.delete(tpKey(tp));
        }
      }
      if (kind === 'assign') this.evicted = false;
    };
    const pending = this.listener?.(kind, partitions, lost);
    if (pending === undefined) {
      apply();
      return Promise.resolve();
    }
    return pending.then(apply, apply);
  }

  assign(partitions: readonly TopicPartitionOffset[] | readonly TopicPartition[]): void {
    this.positions.clear();
    for (const p of partitions) {
      const offset = 'offset' in p ? p.offset : 0;
      this.positions.set(tpKey(p), {
        topic: p.topic,
        partition: p.partition,
        offset: Math.max(offset, 0),
      });
    }
  }

  async poll(maxRecords: number, timeoutMs = 100): Promise<ConsumerRecord[]> {
    this.check();
    const error = await this.kafka.fault(this.group?.endsWith('-restore') ? 'restorePoll' : 'poll');
    if (error) throw error;
    if (this.kafka.down) {
      await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 2)));
      return [];
    }
    if (!this.joined && this.subscription.length > 0) {
      this.joined = true;
      this.assignAll();
    }
    const records: ConsumerRecord[] = [];
    for (const p of this.positions.values()) {
      if (this.pausedSet.has(tpKey(p)) || records.length >= maxRecords) continue;
      const read = this.kafka.readable(
        p.topic,
        p.partition,
        p.offset,
        maxRecords - records.length,
        this.isolation,
      );
      records.push(...read.records);
      p.offset = read.next;
    }
    if (records.length === 0) await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 2)));
    return records;
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.check();
    const error = await this.kafka.fault('commit');
    if (this.evicted)
      throw clientError('committing offsets failed: Broker: Specified group generation id is not valid', {
        migrated: true,
      });
    this.kafka.commitOffsets(this.group!, offsets);
    if (error) throw error;
  }

  async committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const error = await this.kafka.fault('committed');
    if (error) throw error;
    return partitions.map((tp) => ({ ...tp, offset: this.kafka.committed(this.group!, tp) ?? -1001 }));
  }

  async seek(position: TopicPartitionOffset): Promise<void> {
    const p = this.positions.get(tpKey(position));
    if (p === undefined)
      throw clientError(`seeking ${position.topic}-${position.partition}: Local: Erroneous state`);
    p.offset = Math.max(position.offset, 0);
  }

  position(partitions: readonly TopicPartition[]): TopicPartitionOffset[] {
    return partitions.map((tp) => ({ ...tp, offset: this.positions.get(tpKey(tp))?.offset ?? -1001 }));
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.pausedSet.add(tpKey(tp));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.pausedSet.delete(tpKey(tp));
  }

  async watermarks(topic: string, partition: number): Promise<{ low: number; high: number }> {
    const error = await this.kafka.fault('watermarks');
    if (error) throw error;
    return { low: 0, high: this.kafka.log(topic)[partition]!.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.positions.size > 0 && this.listener !== undefined) {
      await this.rebalance('revoke', this.assignment(), false);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private check(): void {
    if (this.closed) throw clientError('the consumer is closed');
  }
}

export class FakeProducer implements ProducerClient {
  readonly transactionalId: string | undefined;
  private txn: Transaction | undefined;
  private fenced = false;
  private closed = false;
  private readonly acked = new Map<string, number>();
  private unflushed: { topic: string; partition: number; offset: number }[] = [];

  constructor(
    private readonly kafka: FakeKafka,
    config: ClientConfig,
  ) {
    this.transactionalId = config['transactional.id'] as string | undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isFenced(): boolean {
    return this.fenced;
  }

  /** A newer producer with the same transactional id initialised: this one's transaction is aborted. */
  fence(): void {
    this.fenced = true;
    if (this.txn?.state === 'open') this.txn.state = 'aborted';
  }

  send(record: ProducerRecord, partition?: number): void {
    // As librdkafka: a send only enqueues; a fenced or closed producer's records fail at delivery (flush).
    if (this.closed || this.fenced) return;
    if (this.transactionalId !== undefined && this.txn?.state !== 'open') {
      throw clientError(`sending to '${record.topic}' failed: no transaction is open`, { fatal: true });
    }
    const p = partition ?? record.partition ?? 0;
    const offset = this.kafka.append(record.topic, p, record, this.txn);
    this.unflushed.push({ topic: record.topic, partition: p, offset });
  }

  async flush(): Promise<void> {
    this.check();
    const error = await this.kafka.fault('flush');
    if (error) throw error;
    for (const u of this.unflushed) this.acked.set(`${u.topic}:${u.partition}`, u.offset);
    this.unflushed = [];
  }

  ackedOffset(topic: string, partition: number): number | undefined {
    return this.acked.get(`${topic}:${partition}`);
  }

  async initTransactions(): Promise<void> {
    this.check();
    const error = await this.kafka.fault('initTransactions');
    if (error) throw error;
    this.kafka.fenceOlder(this.transactionalId!, this);
  }

  async beginTransaction(): Promise<void> {
    this.check();
    const error = await this.kafka.fault('beginTransaction');
    if (error) throw error;
    this.txn = { state: 'open', offsets: [], group: undefined };
  }

  async sendOffsetsToTransaction(
    offsets: readonly TopicPartitionOffset[],
    consumer: ConsumerClient,
  ): Promise<void> {
    this.check();
    const error = await this.kafka.fault('sendOffsetsToTransaction');
    if (error) throw error;
    const fake = consumer as FakeConsumer;
    if (fake.evicted) {
      throw clientError(
        'sending offsets to the transaction failed: Broker: Specified group generation id is not valid',
        {
          migrated: true,
          txnRequiresAbort: true,
        },
      );
    }
    this.txn!.offsets.push(...offsets);
    this.txn!.group = fake.group;
  }

  async commitTransaction(): Promise<void> {
    this.check();
    const error = await this.kafka.fault('commitTransaction');
    const txn = this.txn!;
    txn.state = 'committed';
    if (txn.group !== undefined) this.kafka.commitOffsets(txn.group, txn.offsets);
    if (error) throw error;
  }

  async abortTransaction(): Promise<void> {
    this.check();
    const error = await this.kafka.fault('abortTransaction');
    if (error) throw error;
    if (this.txn?.state === 'open') this.txn.state = 'aborted';
    this.unflushed = [];
    this.acked.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    // As the broker does when a producer goes away mid-transaction (after transaction.timeout.ms).
    if (this.txn?.state === 'open') this.txn.state = 'aborted';
  }

  private check(): void {
    if (this.closed) throw clientError('the producer is closed', { fatal: true });
    if (this.fenced) {
      throw clientError('Broker: Producer attempted an operation with an old epoch', {
        fatal: true,
        migrated: true,
      });
    }
  }
}

class FakeAdmin implements AdminClient {
  constructor(private readonly kafka: FakeKafka) {}

  async createTopics(topics: readonly NewTopicSpec[]): Promise<void> {
    for (const t of topics) this.kafka.createTopic(t.name, t.partitions);
  }

  async listTopics(): Promise<string[]> {
    return this.kafka.topicNames();
  }

  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    return names.map((name) => ({
      name,
      partitions: Array.from({ length: this.kafka.partitionCount(name) }, (_, partition) => ({
        partition,
        leader: 1,
        replicas: [1],
        isr: [1],
      })),
    }));
  }

  close(): void {}
}

function tpKey(tp: TopicPartition): string {
  return `${tp.topic}:${tp.partition}`;
}
