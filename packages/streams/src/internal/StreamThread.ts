import { StreamsError, TaskMigratedError, type TopicPartition } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { KafkaClientError, KafkaConsumer, KafkaProducer, type TopicPartitionOffset } from '@tributary/kafka';
import { DefaultRecordCollector, SerdePreparer } from '@tributary/runtime';
import type { StateStore } from '@tributary/state';
import type { StateRestoreListener } from '../StateRestoreListener.js';
import type { StreamsConfig } from '../StreamsConfig.js';
import type { PartitionCounts } from './InternalTopicManager.js';
import { KafkaRecordProducer } from './KafkaRecordProducer.js';
import type { StreamThreadHandle } from './StreamThreadHandle.js';
import { TaskManager } from './TaskManager.js';

const DEBUG = process.env.TRIBUTARY_DEBUG === '1';

export type StreamThreadState = 'created' | 'starting' | 'running' | 'pending_shutdown' | 'dead';

interface RebalanceEvent {
  readonly kind: 'assign' | 'revoke';
  readonly partitions: readonly TopicPartition[];
  readonly lost: boolean;
  readonly done: () => void;
}

export interface StreamThreadEvents {
  /** A rebalance reached this thread (`started`) or was fully handled (`done`). */
  onRebalance(thread: StreamThread, phase: 'started' | 'done'): void;
  /** The thread's tasks were fenced or lost and closed dirty; it rejoins the group. */
  onTaskMigrated(thread: StreamThread, error: TaskMigratedError): void;
  /** A commit completed; `count` commits so far. */
  onCommit?(thread: StreamThread, count: number): void;
  /** The thread died of an error it could not handle. */
  onError(thread: StreamThread, error: unknown): void;
  /** Changelog restoration progress of the thread's new tasks. */
  readonly restoreListener?: StateRestoreListener;
}

/**
 * One stream thread: a group consumer, a producer (transactional under exactly_once_v2), its tasks, and the
 * poll → process → commit loop. Processing is synchronous; the loop awaits only polls and commits.
 */
export class StreamThread implements StreamThreadHandle {
  state: StreamThreadState = 'created';
  private consumer!: KafkaConsumer;
  private producer!: KafkaProducer;
  private recordProducer!: KafkaRecordProducer;
  private readonly tasks: TaskManager;
  private readonly serdes: SerdePreparer;
  private readonly rebalances: RebalanceEvent[] = [];
  private paused: TopicPartition[] = [];
  private inTransaction = false;
  private lastCommit = Date.now();
  private loop: Promise<void> | undefined;
  private readonly transactionalId: string | undefined;
  private commits = 0;
  private loopEnded = false;

  constructor(
    readonly name: string,
    topology: Topology,
    private readonly config: StreamsConfig,
    counts: PartitionCounts,
    processId: string,
    index: number,
    private readonly events: StreamThreadEvents,
    globalStores?: ReadonlyMap<string, StateStore>,
  ) {
    this.transactionalId = config.exactlyOnce ? `${config.applicationId}-${processId}-${index}` : undefined;
    this.recordProducer = new KafkaRecordProducer(counts);
    this.serdes = new SerdePreparer(topology, (topic) => topology.resolveTopic(config.applicationId, topic));
    this.tasks = new TaskManager(
      topology,
      config,
      new DefaultRecordCollector(this.recordProducer),
      globalStores,
      events.restoreListener,
    );
  }

  /** The instances of store `name` in this thread's tasks (for interactive queries). */
  localStores(name: string): StateStore[] {
    const stores: StateStore[] = [];
    for (const task of this.tasks.all()) {
      const store = task.getStore(name);
      if (store !== undefined) stores.push(store);
    }
    return stores;
  }

  /** Task ids (`subtopology_partition`) this thread owns now. */
  taskIds(): string[] {
    return this.tasks.taskIds();
  }

  get commitCount(): number {
    return this.commits;
  }

  async start(): Promise<void> {
    this.state = 'starting';
    this.consumer = await KafkaConsumer.connect(this.config.mainConsumerConfig(), {
      // Once the loop has ended (closing the consumer revokes too), changes apply at once.
      onRebalance: (kind, partitions, lost) =>
        this.loopEnded
          ? undefined
          : new Promise<void>((done) => this.rebalances.push({ kind, partitions, lost, done })),
    });
    await this.replaceProducer();
    this.consumer.subscribe(this.tasks.sourceTopics());
    this.state = 'running';
    this.loop = this.run().catch((error) => {
      this.state = 'dead';
      this.events.onError(this, error);
    });
  }

  /** Stops the loop after the current iteration, commits, closes tasks and clients. */
  async shutdown(): Promise<void> {
    if (this.state === 'dead' || this.state === 'created') return;
    this.state = 'pending_shutdown';
    await this.loop;
  }

  private async run(): Promise<void> {
    try {
      while (this.state === 'running') await this.runOnce();
      if (this.state === 'pending_shutdown') {
        await this.handleRebalances();
        await this.commit();
        this.tasks.closeTasks(true);
      }
    } finally {
      this.loopEnded = true;
      for (const event of this.rebalances.splice(0)) event.done();
      await this.closeClients();
      this.state = 'dead';
    }
  }

  private async runOnce(): Promise<void> {
    await this.handleRebalances();
    if (this.config.exactlyOnce && !this.inTransaction) {
      await this.producer.beginTransaction();
      this.inTransaction = true;
    }
    const polled = DEBUG ? performance.now() : 0;
    const records = await this.consumer.poll(this.config.maxPollRecords, this.config.pollMs);
    if (DEBUG) this.debugPoll(records.length, performance.now() - polled);
    if (records.length > 0) {
      await this.serdes.prepare(records); // schema ids etc. for the batch: serdes stay synchronous per record
      this.tasks.addRecords(records);
    }
    this.tasks.process(Date.now());
    this.updatePaused();
    if (Date.now() - this.lastCommit >= this.config.commitIntervalMs || this.tasks.commitRequestedEarly()) {
      await this.commitOrRecover();
    }
  }

  /**
   * Assignment changes, applied between iterations (never during a commit). A clean revocation commits
   * first, so the next owner starts exactly after what this thread produced.
   */
  private async handleRebalances(): Promise<void> {
    if (this.rebalances.length === 0) return;
    this.events.onRebalance(this, 'started');
    while (this.rebalances.length > 0) {
      const event = this.rebalances.shift()!;
      if (DEBUG)
        console.error(
          `[${this.name}] ${event.kind}${event.lost ? ' (lost)' : ''} ${JSON.stringify(event.partitions)}`,
        );
      try {
        if (event.kind === 'revoke') {
          if (!event.lost) await this.commitOrRecover();
          else await this.abortIfOpen();
          this.tasks.closeTasks(!event.lost, event.partitions);
          this.paused = [];
        } else {
          await this.tasks.createTasks(event.partitions);
        }
      } finally {
        event.done();
      }
    }
    this.events.onRebalance(this, 'done');
  }

  /** Pause partitions whose buffers stay over the limit; resume those drained below half of it. */
  private updatePaused(): void {
    const limit = this.config.bufferedRecordsPerPartition;
    if (this.paused.length > 0) {
      const drained = this.tasks.drained(this.paused, limit);
      if (drained.length > 0) {
        this.consumer.resume(drained);
        this.paused = this.paused.filter((tp) => !drained.includes(tp));
      }
    }
    const full = this.tasks
      .overfull(limit)
      .filter((tp) => !this.paused.some((p) => p.topic === tp.topic && p.partition === tp.partition));
    if (full.length > 0) {
      this.consumer.pause(full);
      this.paused.push(...full);
    }
  }

  private pollStats = { polls: 0, records: 0, pollMs: 0, since: Date.now() };

  private debugPoll(records: number, ms: number): void {
    const stats = this.pollStats;
    stats.polls++;
    stats.records += records;
    stats.pollMs += ms;
    if (Date.now() - stats.since >= 2_000) {
      console.error(
        `[${this.name}] ${stats.polls} polls, ${stats.records} records, ${(stats.pollMs / stats.polls).toFixed(1)} ms/poll, paused ${this.paused.length}`,
      );
      this.pollStats = { polls: 0, records: 0, pollMs: 0, since: Date.now() };
    }
  }

  private async commitOrRecover(): Promise<void> {
    try {
      await this.commit();
    } catch (error) {
      await this.recover(error);
    }
  }

  /**
   * The commit protocol. Each step is a method below.
   * 1. flush stores: caches send their results downstream, change-logging stores their changelog records;
   * 2. (changelog records were sent by step 1 through the same collector);
   * 3. flush the producer: every send acknowledged (ALOS), or surfaced before committing (EOS);
   * 4. ALOS: commit consumer offsets. EOS: send offsets to the transaction with the group metadata, then
   *    commit the transaction;
   * 5. tell the tasks the commit happened (local checkpoints go here with persistent stores).
   */
  private async commit(): Promise<void> {
    this.lastCommit = Date.now();
    if (!this.tasks.commitNeeded()) return;
    const offsets = this.flushStores();
    await this.flushProducer();
    if (this.config.exactlyOnce) await this.commitTransaction(offsets);
    else await this.consumer.commit(offsets);
    for (const task of this.tasks.all()) task.postCommit();
    this.commits++;
    this.events.onCommit?.(this, this.commits);
  }

  private flushStores(): TopicPartitionOffset[] {
    return this.tasks.all().flatMap((task) => task.prepareCommit());
  }

  private async flushProducer(): Promise<void> {
    await this.recordProducer.flush();
  }

  private async commitTransaction(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (!this.inTransaction) await this.producer.beginTransaction();
    this.inTransaction = true;
    await this.producer.sendOffsetsToTransaction(offsets, this.consumer);
    // From here the outcome may become unknown: never abort after a failed commit unless librdkafka says the
    // transaction must be aborted; retry a retriable failure; otherwise replace the producer (its successor's
    // initTransactions settles the transaction one way or the other).
    for (let attempt = 0; ; attempt++) {
      try {
        await this.producer.commitTransaction();
        this.inTransaction = false;
        return;
      } catch (error) {
        if (error instanceof KafkaClientError && error.info.retriable && attempt < 5) continue;
        throw error;
      }
    }
  }

  /**
   * After a failed commit (or processing error mid-transaction): abort what can be aborted, drop the tasks'
   * uncommitted state and buffers, and restart from the committed offsets. A fenced producer or a lost group
   * membership means the tasks moved: close them dirty and let the group hand out new ones.
   */
  private async recover(error: unknown): Promise<void> {
    if (DEBUG) console.error(`[${this.name}] recovering from`, error);
    // Only client failures are recovered here; anything else (a processing error) kills the thread.
    if (!(error instanceof KafkaClientError)) throw error;
    const info = error.info;
    const migrated = info.migrated;
    if (this.config.exactlyOnce) {
      if (info.txnRequiresAbort && !info.fatal) await this.abortIfOpen();
      else await this.replaceProducer();
    }
    const assigned = this.tasks.all().flatMap((t) => t.inputPartitions());
    this.tasks.closeTasks(false);
    this.paused = [];
    if (migrated) {
      // Not an error of this instance: the group reassigns, and handleRebalances creates the new tasks.
      this.events.onTaskMigrated(
        this,
        new TaskMigratedError(`${this.name}: tasks moved to another member`, { cause: error }),
      );
      return;
    }
    await this.tasks.createTasks(assigned);
    await this.seekToCommitted(assigned);
  }

  private async seekToCommitted(partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    for (const c of await this.consumer.committed(partitions)) {
      await this.consumer.seek({
        topic: c.topic,
        partition: c.partition,
        offset: c.offset >= 0 ? c.offset : -2,
      });
    }
  }

  private async abortIfOpen(): Promise<void> {
    if (!this.config.exactlyOnce || !this.inTransaction) return;
    try {
      await this.producer.abortTransaction();
      this.inTransaction = false;
    } catch {
      await this.replaceProducer();
    }
  }

  private async replaceProducer(): Promise<void> {
    const old = this.producer as KafkaProducer | undefined;
    if (old) await old.close().catch(() => undefined);
    this.producer = await KafkaProducer.connect(this.config.producerConfig(this.transactionalId));
    if (this.config.exactlyOnce) await this.producer.initTransactions();
    this.recordProducer.replace(this.producer);
    this.inTransaction = false;
  }

  private async closeClients(): Promise<void> {
    const errors: unknown[] = [];
    if (this.inTransaction) await this.producer.abortTransaction().catch((e) => errors.push(e));
    await this.producer?.close().catch((e) => errors.push(e));
    await this.consumer?.close().catch((e) => errors.push(e));
    if (errors.length > 0 && this.state !== 'pending_shutdown') {
      throw new StreamsError(`${this.name} failed to close its clients`, { cause: errors[0] });
    }
  }
}
