import { StreamsError, TaskMigratedError, type TopicPartition } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import {
  type ConsumerClient,
  DefaultKafkaClientSupplier,
  KafkaClientError,
  type KafkaClientSupplier,
} from '@tributary/kafka';
import { DefaultRecordCollector, SerdePreparer, type TaskMetrics } from '@tributary/runtime';
import type { StateStore } from '@tributary/state';
import type { StateRestoreListener } from '../StateRestoreListener.js';
import type { StreamsConfig } from '../StreamsConfig.js';
import type { PartitionLag } from '../StreamsMetrics.js';
import { BrokerOutage, isUnreachable } from './BrokerOutage.js';
import { CommitProtocol, recoveryFor } from './CommitProtocol.js';
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
  /** The Kafka cluster became unreachable (since `since`, epoch ms) or reachable again (undefined). */
  onBrokerOutage?(thread: StreamThread, since: number | undefined): void;
  /** Changelog restoration progress of the thread's new tasks. */
  readonly restoreListener?: StateRestoreListener;
  /** Tasks about to be created here (their standby copies close first, so the tasks can open the stores). */
  readonly beforeTasksCreated?: (taskIds: readonly string[]) => void;
}

/**
 * One stream thread: a group consumer, a producer (transactional under exactly_once_v2), its tasks, and the
 * poll → process → commit loop. Processing is synchronous; the loop awaits only polls, commits and rebalances.
 * Kafka clients come from a `KafkaClientSupplier` (librdkafka by default; in memory in unit tests).
 */
export class StreamThread implements StreamThreadHandle {
  state: StreamThreadState = 'created';
  private consumer: ConsumerClient | undefined;
  private readonly recordProducer: KafkaRecordProducer;
  private readonly protocol: CommitProtocol;
  private readonly tasks: TaskManager;
  private readonly serdes: SerdePreparer;
  private readonly rebalances: RebalanceEvent[] = [];
  /** Partitions the group assigned to this thread's consumer (whether or not their tasks exist now). */
  private readonly assigned = new Map<string, TopicPartition>();
  private paused: TopicPartition[] = [];
  /**
   * Set after a recovery closed the tasks: an iteration recreates those still assigned — at once, or after
   * one poll when the tasks moved (that poll brings the group's revocation, and no task is recreated for it).
   */
  private recreateTasks: 'no' | 'now' | 'after_poll' = 'no';
  private lastCommit = Date.now();
  private loop: Promise<void> | undefined;
  private loopEnded = false;
  private readonly outage: BrokerOutage;

  constructor(
    readonly name: string,
    topology: Topology,
    private readonly config: StreamsConfig,
    counts: PartitionCounts,
    processId: string,
    index: number,
    private readonly events: StreamThreadEvents,
    globalStores?: ReadonlyMap<string, StateStore>,
    private readonly supplier: KafkaClientSupplier = DefaultKafkaClientSupplier,
  ) {
    const transactionalId = config.exactlyOnce ? `${config.applicationId}-${processId}-${index}` : undefined;
    this.recordProducer = new KafkaRecordProducer(counts);
    this.serdes = new SerdePreparer(topology, (topic) => topology.resolveTopic(config.applicationId, topic));
    this.outage = new BrokerOutage(
      name,
      config.bootstrapServers,
      config.taskTimeoutMs,
      config.logger,
      (since) => events.onBrokerOutage?.(this, since),
    );
    this.protocol = new CommitProtocol(
      name,
      config.exactlyOnce,
      supplier,
      config.producerConfig(transactionalId),
      this.recordProducer,
    );
    this.tasks = new TaskManager(
      topology,
      config,
      new DefaultRecordCollector(this.recordProducer),
      supplier,
      globalStores,
      events.restoreListener,
      events.beforeTasksCreated,
    );
  }

  /** The instances of store `name` in this thread's tasks (for interactive queries); none once it stopped. */
  localStores(name: string): StateStore[] {
    if (this.state !== 'running') return [];
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

  taskMetrics(): { taskId: string; metrics: TaskMetrics }[] {
    return this.tasks.all().map((task) => ({ taskId: task.taskId.toString(), metrics: task.metrics() }));
  }

  /** End offset minus position for each input partition of this thread's tasks (-1 where unknown). */
  async consumerLag(): Promise<PartitionLag[]> {
    const consumer = this.consumer;
    if (consumer === undefined || this.state !== 'running') return [];
    const partitions = this.tasks.all().flatMap((task) => task.inputPartitions());
    const positions = consumer.position(partitions);
    return Promise.all(
      positions.map(async (p) => {
        try {
          const { low, high } = await consumer.watermarks(p.topic, p.partition);
          // No position yet: nothing was fetched, which is no lag only when the partition is empty.
          const lag = p.offset >= 0 ? Math.max(0, high - p.offset) : high === low ? 0 : -1;
          return { topic: p.topic, partition: p.partition, lag };
        } catch {
          return { topic: p.topic, partition: p.partition, lag: -1 };
        }
      }),
    );
  }

  get commitCount(): number {
    return this.protocol.commitCount;
  }

  /** The commit protocol's state (for tests and diagnostics). */
  get commitState(): string {
    return this.protocol.state;
  }

  /** Since when (epoch ms) this thread finds the Kafka cluster unreachable, or undefined. */
  get brokersUnreachableSince(): number | undefined {
    return this.outage.unreachableSince;
  }

  /** Partitions this thread has paused because their buffers are full. */
  pausedPartitions(): TopicPartition[] {
    return [...this.paused];
  }

  async start(): Promise<void> {
    this.state = 'starting';
    try {
      this.consumer = await this.supplier.consumer(this.config.mainConsumerConfig(), {
        // Once the loop has ended (closing the consumer revokes too), changes apply at once.
        onRebalance: (kind, partitions, lost) =>
          this.loopEnded
            ? undefined
            : new Promise<void>((done) => this.rebalances.push({ kind, partitions, lost, done })),
      });
      await this.protocol.start();
      this.consumer.subscribe(this.tasks.sourceTopics());
    } catch (error) {
      this.loopEnded = true;
      await this.closeClients();
      this.state = 'dead';
      throw error;
    }
    this.state = 'running';
    this.loop = this.run().catch((error) => {
      this.state = 'dead';
      this.events.onError(this, error);
    });
  }

  /** Stops the loop after the current iteration, commits, closes tasks and clients. */
  async shutdown(): Promise<void> {
    if (this.state === 'dead' || this.state === 'created') return;
    if (this.state === 'running' || this.state === 'starting') this.state = 'pending_shutdown';
    await this.loop;
  }

  /**
   * The loop, and on every way out of it: tasks closed (cleanly after a last commit on shutdown, dirty
   * otherwise, each in its own try, so their stores and locks are released before a replacement thread
   * starts), pending rebalances released, clients closed. A failure is rethrown after all of that.
   */
  private async run(): Promise<void> {
    let failure: unknown;
    try {
      while (this.state === 'running') await this.runOnce();
      if (this.state === 'pending_shutdown') {
        await this.handleRebalances();
        await this.protocol.commit(this.tasks.all(), this.consumer!);
        this.tasks.closeTasks(true);
      }
    } catch (error) {
      failure = error;
    }
    this.state = 'pending_shutdown';
    this.loopEnded = true;
    try {
      this.tasks.closeTasks(false);
    } catch (error) {
      failure ??= error;
    }
    for (const event of this.rebalances.splice(0)) event.done();
    const closing = await this.closeClients();
    this.state = 'dead';
    // On a requested shutdown a client that fails to close is not a failure of the thread.
    if (failure !== undefined) throw failure;
    if (closing !== undefined && DEBUG) console.error(`[${this.name}]`, closing);
  }

  /**
   * One iteration. A client failure is recovered (see `recover`); one that says the cluster is unreachable is
   * then waited out with back-off, the recovery (or the step that failed) being retried by the next iterations,
   * until task.timeout.ms (see BrokerOutage).
   */
  private async runOnce(): Promise<void> {
    try {
      await this.handleRebalances();
      if (this.recreateTasks === 'now') await this.debugSlow('restarting tasks', this.restartTasks());
      await this.debugSlow('beginning', this.protocol.begin());
      const records = await this.debugSlow('polling', this.pollRecords());
      if (this.recreateTasks === 'after_poll') this.recreateTasks = 'now';
      if (records.length > 0) {
        await this.serdes.prepare(records); // schema ids etc. for the batch: serdes stay synchronous per record
        this.tasks.addRecords(records);
      }
      this.tasks.process(Date.now());
      this.updatePaused();
      if (Date.now() - this.lastCommit >= this.config.commitIntervalMs || this.tasks.commitRequestedEarly()) {
        await this.debugSlow('committing', this.commit());
      }
    } catch (error) {
      if (isUnreachable(error)) this.outage.begin(error); // logged now: the recovery may take a while
      let failure = error;
      try {
        await this.recover(error);
      } catch (unrecovered) {
        // Not a client failure (the thread dies), or the recovery failed too (waited out if unreachable).
        if (!isUnreachable(unrecovered)) throw unrecovered;
        failure = unrecovered;
      }
      if (isUnreachable(failure)) await this.outage.waitOut(failure);
    }
  }

  private async pollRecords() {
    const polled = DEBUG ? performance.now() : 0;
    const records = await this.consumer!.poll(this.config.maxPollRecords, this.config.pollMs);
    if (DEBUG) this.debugPoll(records.length, performance.now() - polled);
    return records;
  }

  /**
   * Assignment changes, applied between iterations (never during a commit). A clean revocation commits
   * first, so the next owner starts exactly after what this thread produced; if that commit fails, every task
   * is closed dirty and only those of partitions still assigned are recreated afterwards — never the revoked.
   */
  private async handleRebalances(): Promise<void> {
    if (this.rebalances.length === 0) return;
    this.events.onRebalance(this, 'started');
    // 'done' even when handling failed (the failure is recovered by the caller): the instance leaves REBALANCING.
    try {
      while (this.rebalances.length > 0) {
        const event = this.rebalances.shift()!;
        if (DEBUG)
          console.error(
            `[${this.name}] ${event.kind}${event.lost ? ' (lost)' : ''} ${JSON.stringify(event.partitions)}`,
          );
        try {
          if (event.kind === 'revoke') {
            for (const tp of event.partitions) this.assigned.delete(key(tp));
            if (event.lost) {
              await this.protocol.abortIfOpen();
            } else {
              try {
                await this.commit();
              } catch (error) {
                await this.recover(error);
              }
            }
            this.tasks.closeTasks(!event.lost, event.partitions);
            const revoked = new Set(event.partitions.map(key));
            this.paused = this.paused.filter((tp) => !revoked.has(key(tp)));
          } else {
            for (const tp of event.partitions) this.assigned.set(key(tp), tp);
            await this.tasks.createTasks(event.partitions);
          }
        } finally {
          event.done();
        }
      }
    } finally {
      this.events.onRebalance(this, 'done');
    }
  }

  /** After a recovery: tasks for every partition still assigned, from the committed offsets. */
  private async restartTasks(): Promise<void> {
    // Only the tasks created now restart from the committed offsets: one the group assigned meanwhile already
    // started from there and may have processed since.
    const created = await this.tasks.createTasks([...this.assigned.values()]);
    await this.seekToCommitted(created.filter((tp) => this.assigned.has(key(tp))));
    this.recreateTasks = 'no';
    if (created.length > 0) this.outage.ended();
  }

  /** Pause partitions whose buffers stay over the limit; resume those drained below half of it. */
  private updatePaused(): void {
    const limit = this.config.bufferedRecordsPerPartition;
    if (this.paused.length > 0) {
      const drained = this.tasks.drained(this.paused, limit);
      if (drained.length > 0) {
        this.consumer!.resume(drained);
        this.paused = this.paused.filter((tp) => !drained.includes(tp));
      }
    }
    const full = this.tasks
      .overfull(limit)
      .filter((tp) => !this.paused.some((p) => p.topic === tp.topic && p.partition === tp.partition));
    if (full.length > 0) {
      this.consumer!.pause(full);
      this.paused.push(...full);
    }
  }

  /** With TRIBUTARY_DEBUG=1, names a step of the loop that took more than a second. */
  private async debugSlow<T>(step: string, work: Promise<T>): Promise<T> {
    if (!DEBUG) return work;
    const started = performance.now();
    try {
      return await work;
    } finally {
      const ms = performance.now() - started;
      if (ms > 1_000) console.error(`[${this.name}] ${step} took ${Math.round(ms)} ms`);
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

  /** The commit protocol (see CommitProtocol) over every task, when one has something to commit. */
  private async commit(): Promise<void> {
    this.lastCommit = Date.now();
    if (!this.tasks.commitNeeded()) return;
    await this.protocol.commit(this.tasks.all(), this.consumer!);
    this.outage.ended();
    this.events.onCommit?.(this, this.protocol.commitCount);
  }

  /**
   * After a failed client call (commit, poll, begin, restore): the commit protocol aborts or replaces the
   * producer (see `recoveryFor`), every task is closed dirty (uncommitted state and buffers dropped), paused
   * partitions are resumed, and the next iteration recreates the tasks of the partitions still assigned and
   * seeks to the committed offsets. When the tasks moved (fenced, evicted from the group — e.g. after
   * `max.poll.interval.ms` — or a lost generation), the group's next assignment decides what comes back.
   * Anything else than a client failure (a processing error, a bug) is rethrown: the thread dies.
   */
  private async recover(error: unknown): Promise<void> {
    if (DEBUG) console.error(`[${this.name}] recovering from`, error);
    const recovery = recoveryFor(error, this.config.exactlyOnce);
    if (recovery === undefined) throw error;
    // Tasks first: closing them needs no broker, so they are closed even if the producer cannot be recovered now.
    this.tasks.closeTasks(false);
    if (this.paused.length > 0) {
      const paused = this.paused.filter((tp) => this.assigned.has(key(tp)));
      this.paused = [];
      try {
        if (paused.length > 0) this.consumer!.resume(paused);
      } catch {
        // Already unassigned by the group: nothing stays paused.
      }
    }
    if (this.recreateTasks !== 'now') this.recreateTasks = recovery.tasksMoved ? 'after_poll' : 'now';
    if (recovery.tasksMoved) {
      this.events.onTaskMigrated(
        this,
        new TaskMigratedError(`${this.name}: tasks moved to another member`, { cause: error }),
      );
    }
    await this.protocol.recover(error);
  }

  private async seekToCommitted(partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    for (const c of await this.consumer!.committed(partitions)) {
      try {
        await this.consumer!.seek({
          topic: c.topic,
          partition: c.partition,
          offset: c.offset >= 0 ? c.offset : -2,
        });
      } catch (error) {
        if (isUnreachable(error)) throw error;
        // Typically the consumer lost the partition meanwhile (max.poll.interval.ms passed while the cluster was
        // away). Reading on from its old position would skip records: treat the tasks as moved; the group's next
        // assignment starts them from the committed offsets.
        throw new KafkaClientError(
          `${this.name}: seeking ${c.topic}-${c.partition} to its committed offset ${c.offset} failed ` +
            `(${(error as Error).message}); its task is treated as moved and rejoins`,
          { code: undefined, fatal: false, retriable: false, txnRequiresAbort: false, migrated: true },
          { cause: error },
        );
      }
    }
  }

  /** Closes the producer (aborting an open transaction) and the consumer; returns the first failure. */
  private async closeClients(): Promise<unknown> {
    let failure = await this.protocol.close();
    await this.consumer?.close().catch((e) => {
      failure ??= e;
    });
    if (failure === undefined) return undefined;
    return new StreamsError(`${this.name} failed to close its clients`, { cause: failure });
  }
}

function key(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
