import { SystemClock, TaskId } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import type { ConsumerClient, KafkaClientSupplier } from '@tributary/kafka';
import { type RecordCollector, StreamTask } from '@tributary/runtime';
import type { RestorableStateStore, RestoreRecord } from '@tributary/state';
import type { StandbyUpdateListener } from '../StandbyUpdateListener.js';
import type { StreamsConfig } from '../StreamsConfig.js';
import type { InstanceDirectory } from './InstanceDirectory.js';

const RECONCILE_EVERY_MS = 1_000;

/** A standby task: its persistent stores, open, following their changelog partitions. */
interface Standby {
  readonly task: StreamTask;
  readonly changelogs: { store: RestorableStateStore; topic: string; partition: number }[];
}

/** Standbys never produce: a collector that refuses. */
const NO_OUTPUT: RecordCollector = {
  send: () => {
    throw new Error('a standby task never sends records');
  },
  flush: async () => {},
  ackedOffset: () => undefined,
} as unknown as RecordCollector;

/**
 * Standby replicas (`num.standby.replicas`): warm copies of other instances' task stores, kept by tailing their
 * changelogs (read_committed under exactly-once) into the same state directory an active task of this instance
 * would open, checkpointed as they go. When the task is assigned here, `release` closes the copy first, and the
 * active task opens it and restores only the tail past the checkpoint.
 *
 * Placement: the group protocol picks active owners, and every instance reads the instance directory, so each
 * can compute the same rule — live instances in process-id order form a ring; a task's standbys live on the
 * next `num.standby.replicas` instances after its active owner. With two instances the one that takes over a
 * dead instance's tasks is exactly the one holding their standbys. Only tasks with persistent stores get
 * standbys: an in-memory copy could not be handed to the active task.
 */
export class StandbyManager {
  private readonly standbys = new Map<string, Standby>();
  /** Sub-topologies whose tasks have no persistent logged store: no standby for them. */
  private readonly volatile = new Set<number>();
  private consumer: ConsumerClient | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private assignmentChanged = false;
  private lastReconcile = 0;

  constructor(
    private readonly topology: Topology,
    private readonly config: StreamsConfig,
    private readonly supplier: KafkaClientSupplier,
    private readonly partitionsOf: (subtopology: number) => number,
    private readonly processId: string,
    private readonly directory: InstanceDirectory,
    private readonly isActiveHere: (taskId: string) => boolean,
    private readonly listener: StandbyUpdateListener = {},
    /** The set of standbys changed (to announce it). */
    private readonly onChange: () => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.supplier.consumer({
      ...this.config.restoreConsumerConfig(),
      'group.id': `${this.config.applicationId}-standby`,
    });
    this.running = true;
    this.loop = this.run().catch((error) => {
      this.running = false;
      this.config.logger.error({ error }, 'standby replicas stopped following their changelogs');
    });
  }

  /** Task ids of the standbys held now. */
  taskIds(): string[] {
    return [...this.standbys.keys()].sort();
  }

  /** Closes the standbys of tasks about to become active here, so their stores can be opened by them. */
  release(taskIds: readonly string[]): void {
    for (const id of taskIds) this.drop(id, 'promoted');
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const id of [...this.standbys.keys()]) this.drop(id, 'migrated');
    await this.consumer?.close();
  }

  /** The standbys this instance should hold, by the ring rule over the live instances. */
  private desired(): Set<string> {
    const wanted = new Set<string>();
    const replicas = this.config.numStandbyReplicas;
    const ring = this.directory.all().map((m) => m.processId);
    if (replicas === 0 || ring.length < 2) return wanted;
    for (const subtopology of this.topology.subtopologies) {
      if (this.volatile.has(subtopology.id) || subtopology.storeNames.length === 0) continue;
      for (let p = 0; p < this.partitionsOf(subtopology.id); p++) {
        const taskId = `${subtopology.id}_${p}`;
        if (this.isActiveHere(taskId)) continue;
        const owner = this.directory.ownerProcessOf(taskId);
        if (owner === undefined) continue;
        const at = ring.indexOf(owner);
        for (let k = 1; k <= Math.min(replicas, ring.length - 1); k++) {
          if (ring[(at + k) % ring.length] === this.processId) wanted.add(taskId);
        }
      }
    }
    return wanted;
  }

  private reconcile(): void {
    const wanted = this.desired();
    const before = this.taskIds().join();
    for (const id of [...this.standbys.keys()]) if (!wanted.has(id)) this.drop(id, 'migrated');
    for (const id of wanted) if (!this.standbys.has(id)) this.open(id);
    if (this.taskIds().join() !== before) this.onChange();
  }

  private open(taskIdText: string): void {
    const taskId = TaskId.parse(taskIdText);
    const subtopology = this.topology.subtopologies.find((s) => s.id === taskId.subtopology)!;
    const task = new StreamTask({
      applicationId: this.config.applicationId,
      taskId,
      topology: this.topology,
      inputPartitions: subtopology.sourceTopics.map((t) => ({
        topic: this.topology.resolveTopic(this.config.applicationId, t),
        partition: taskId.partition,
      })),
      collector: NO_OUTPUT,
      clock: SystemClock,
      maxTaskIdleMs: this.config.maxTaskIdleMs,
      stateDir: this.config.stateDir,
      cacheMaxBytes: 0,
      maxUncommittedBytes: this.config.maxUncommittedBytes,
    });
    try {
      task.initializeIfNeeded();
    } catch (error) {
      // Most likely an active task of another thread of this instance holds the stores: no standby needed.
      this.config.logger.debug({ task: taskIdText, error }, 'no standby: the stores could not be opened');
      return;
    }
    const changelogs: Standby['changelogs'] = [];
    for (const [name, store] of task.allStores()) {
      const changelog = this.topology.changelogTopic(name);
      if (changelog === undefined || !store.persistent) continue;
      changelogs.push({
        store: store as RestorableStateStore,
        topic: this.topology.resolveTopic(this.config.applicationId, changelog),
        partition: taskId.partition,
      });
    }
    if (changelogs.length === 0) {
      this.volatile.add(taskId.subtopology);
      close(task);
      return;
    }
    this.standbys.set(taskIdText, { task, changelogs });
    this.assignmentChanged = true;
    for (const c of changelogs) {
      this.listener.onUpdateStart?.(
        { topic: c.topic, partition: c.partition },
        c.store.name,
        c.store.committedOffset?.() ?? 0,
      );
    }
    this.config.logger.info({ task: taskIdText }, 'standby replica started');
  }

  private drop(taskId: string, reason: 'promoted' | 'migrated'): void {
    const standby = this.standbys.get(taskId);
    if (standby === undefined) return;
    this.standbys.delete(taskId);
    this.assignmentChanged = true;
    close(standby.task);
    for (const c of standby.changelogs) {
      this.listener.onUpdateSuspended?.({ topic: c.topic, partition: c.partition }, c.store.name, reason);
    }
    this.config.logger.info({ task: taskId, reason }, 'standby replica stopped');
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (Date.now() - this.lastReconcile >= RECONCILE_EVERY_MS) {
        this.lastReconcile = Date.now();
        this.reconcile();
      }
      const consumer = this.consumer!;
      if (this.assignmentChanged) {
        this.assignmentChanged = false;
        consumer.assign(
          [...this.standbys.values()].flatMap((s) =>
            s.changelogs.map((c) => ({
              topic: c.topic,
              partition: c.partition,
              offset: c.store.committedOffset?.() ?? -2,
            })),
          ),
        );
      }
      if (this.standbys.size === 0) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const records = await consumer.poll(5_000, 200);
      // A standby released (promoted) during the poll is gone from the map: its records are dropped here.
      const byChangelog = new Map<string, RestoreRecord[]>();
      for (const r of records) {
        if (r.key === null) continue;
        const id = `${r.topic}-${r.partition}`;
        let list = byChangelog.get(id);
        if (list === undefined) {
          list = [];
          byChangelog.set(id, list);
        }
        list.push({ key: r.key, value: r.value, timestamp: r.timestamp, offset: r.offset });
      }
      for (const standby of this.standbys.values()) {
        for (const c of standby.changelogs) {
          const batch = byChangelog.get(`${c.topic}-${c.partition}`);
          if (batch === undefined || batch.length === 0) continue;
          c.store.restoreBatch(batch);
          this.listener.onBatchLoaded?.(
            { topic: c.topic, partition: c.partition },
            c.store.name,
            batch[batch.length - 1]!.offset,
            batch.length,
          );
        }
      }
    }
  }
}

/** Closes a standby task's stores (their data is committed as it is applied: nothing to flush). */
function close(task: StreamTask): void {
  try {
    task.suspend();
    task.closeDirty();
  } catch {
    // Closing is best effort: the stores release their locks in close.
  }
}
