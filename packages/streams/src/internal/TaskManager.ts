import { rmSync } from 'node:fs';
import {
  type ConsumerRecord,
  SystemClock,
  TaskCorruptedError,
  TaskId,
  type TopicPartition,
} from '@tributary/core';
import type { Subtopology, Topology } from '@tributary/dsl';
import type { KafkaClientSupplier } from '@tributary/kafka';
import { type RecordCollector, StreamTask } from '@tributary/runtime';
import { type StateStore, taskDirectory } from '@tributary/state';
import type { StateRestoreListener } from '../StateRestoreListener.js';
import type { StreamsConfig } from '../StreamsConfig.js';
import { type ChangelogToRestore, restoreChangelogs } from './ChangelogRestorer.js';

/**
 * The tasks of one stream thread: created from the partitions the group assigns (one task per sub-topology
 * and partition number; co-partitioned partitions land on the same task), fed with consumed records, and
 * closed when their partitions go.
 */
export class TaskManager {
  private readonly tasks = new Map<string, StreamTask>();
  /** Task of each input partition: topic → array indexed by partition (no string built per record). */
  private readonly byPartition = new Map<string, (StreamTask | undefined)[]>();
  /** Real topic name → sub-topology reading it. */
  private readonly subtopologyOf = new Map<string, Subtopology>();

  constructor(
    private readonly topology: Topology,
    private readonly config: StreamsConfig,
    private readonly collector: RecordCollector,
    private readonly supplier: KafkaClientSupplier,
    private readonly globalStores: ReadonlyMap<string, StateStore> = new Map(),
    private readonly restoreListener: StateRestoreListener = {},
    /** Told of tasks about to be created, before their stores open (standby copies of them must close first). */
    private readonly beforeCreate: (taskIds: readonly string[]) => void = () => {},
  ) {
    for (const s of topology.subtopologies) {
      for (const t of s.sourceTopics)
        this.subtopologyOf.set(topology.resolveTopic(config.applicationId, t), s);
    }
  }

  /** Every real topic the thread's consumer subscribes to. */
  sourceTopics(): string[] {
    return [...this.subtopologyOf.keys()];
  }

  all(): StreamTask[] {
    return [...this.tasks.values()];
  }

  taskIds(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /**
   * Creates (and restores) the tasks for newly assigned partitions; returns the input partitions of the tasks
   * it created (partitions of tasks that exist already are left alone).
   */
  async createTasks(partitions: readonly TopicPartition[]): Promise<TopicPartition[]> {
    const wanted = new Map<string, { id: TaskId; subtopology: Subtopology }>();
    for (const tp of partitions) {
      const subtopology = this.subtopologyOf.get(tp.topic);
      if (!subtopology) continue;
      const id = new TaskId(subtopology.id, tp.partition);
      if (!this.tasks.has(id.toString())) wanted.set(id.toString(), { id, subtopology });
    }
    const created: StreamTask[] = [];
    try {
      if (wanted.size > 0) this.beforeCreate([...wanted.keys()]);
      for (const { id, subtopology } of wanted.values()) {
        const task = new StreamTask({
          applicationId: this.config.applicationId,
          taskId: id,
          topology: this.topology,
          inputPartitions: subtopology.sourceTopics.map((t) => ({
            topic: this.topology.resolveTopic(this.config.applicationId, t),
            partition: id.partition,
          })),
          collector: this.collector,
          clock: SystemClock,
          maxTaskIdleMs: this.config.maxTaskIdleMs,
          stateDir: this.config.stateDir,
          cacheMaxBytes: this.config.cacheMaxBytes,
          maxUncommittedBytes: this.config.maxUncommittedBytes,
          globalStores: this.globalStores,
          exceptionHandlers: this.config.exceptionHandlers,
        });
        created.push(task);
        task.initializeIfNeeded();
      }
      await this.restore(created);
      for (const task of created) task.completeRestoration();
    } catch (error) {
      // Not one of them is handed out: close each dirty (releasing its stores' locks), then fail.
      for (const task of created) closeQuietly(task, false);
      throw error;
    }
    for (const task of created) {
      this.tasks.set(task.taskId.toString(), task);
      for (const tp of task.inputPartitions()) this.setTask(tp, task);
    }
    return created.flatMap((task) => task.inputPartitions());
  }

  /**
   * Restores the new tasks' logged stores. A task whose local state is ahead of its changelog (the topic was
   * re-created) is wiped — stores closed, its directory deleted, stores opened empty — and restored from the
   * beginning, as Kafka Streams does with a TaskCorruptedError.
   */
  private async restore(tasks: readonly StreamTask[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await restoreChangelogs(
          this.supplier,
          this.config.restoreConsumerConfig(),
          tasks.flatMap((task) => this.changelogsOf(task)),
          this.restoreListener,
        );
        return;
      } catch (error) {
        if (!(error instanceof TaskCorruptedError) || error.taskIds.length === 0 || attempt > 0) throw error;
        process.emitWarning(
          `${error.message}; wiping and restoring them from the changelog`,
          'TaskCorrupted',
        );
        const wipe = new Set(error.taskIds.map(String));
        for (const task of tasks) if (wipe.has(task.taskId.toString())) this.wipe(task);
      }
    }
  }

  private changelogsOf(task: StreamTask): ChangelogToRestore[] {
    const changelogs: ChangelogToRestore[] = [];
    for (const [name, store] of task.allStores()) {
      const changelog = this.topology.changelogTopic(name);
      if (changelog !== undefined) {
        changelogs.push({
          taskId: task.taskId,
          store,
          topic: this.topology.resolveTopic(this.config.applicationId, changelog),
          partition: task.taskId.partition,
        });
      }
    }
    return changelogs;
  }

  /** Closes a task's stores, deletes its state directory and opens its stores again, empty. */
  private wipe(task: StreamTask): void {
    task.suspend();
    task.closeDirty();
    rmSync(taskDirectory(this.config.stateDir, this.config.applicationId, task.taskId), {
      recursive: true,
      force: true,
    });
    task.revive();
    task.initializeIfNeeded();
  }

  /** Hands consumed records to their tasks. */
  addRecords(records: readonly ConsumerRecord[]): void {
    for (const record of records) {
      // A record of a partition revoked meanwhile is dropped: its new owner fetches it again.
      this.byPartition.get(record.topic)?.[record.partition]?.addRecord(record);
    }
  }

  /**
   * Partitions still buffering more than `bufferLimit` records after processing (a task waiting for another
   * partition, see max.task.idle.ms). Only these are paused: librdkafka drops a paused partition's prefetched
   * records, so pausing on every full poll would refetch constantly.
   */
  overfull(bufferLimit: number): TopicPartition[] {
    const full: TopicPartition[] = [];
    for (const task of this.tasks.values()) {
      for (const tp of task.inputPartitions()) if (task.numBuffered(tp) > bufferLimit) full.push(tp);
    }
    return full;
  }

  /**
   * Processes buffered records of every running task, round-robin in slices, and runs punctuators.
   * Synchronous: no await per record. Returns how many records were processed.
   */
  process(now: number): number {
    let total = 0;
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const task of this.tasks.values()) {
        let n = 0;
        while (n < 100 && task.process(now)) n++;
        if (n > 0) {
          progressed = true;
          total += n;
          task.maybePunctuateStreamTime();
        }
      }
    }
    for (const task of this.tasks.values()) task.maybePunctuateSystemTime(now);
    return total;
  }

  commitNeeded(): boolean {
    for (const task of this.tasks.values()) if (task.commitNeeded()) return true;
    return false;
  }

  /** Whether a task wants its commit before the commit interval (see StreamTask.commitRequestedEarly). */
  commitRequestedEarly(): boolean {
    for (const task of this.tasks.values()) if (task.commitRequestedEarly()) return true;
    return false;
  }

  /** The partitions whose buffers have room again (below half of `bufferLimit`). */
  drained(paused: readonly TopicPartition[], bufferLimit: number): TopicPartition[] {
    return paused.filter((tp) => {
      const task = this.taskOf(tp);
      return task === undefined || task.numBuffered(tp) < bufferLimit / 2;
    });
  }

  /** The input partitions of every task. */
  inputPartitions(): TopicPartition[] {
    return this.all().flatMap((task) => task.inputPartitions());
  }

  /**
   * Closes the tasks of the given partitions (all tasks when omitted), cleanly (after a commit) or dirty. Each
   * task is closed in its own try and always dropped: a clean close that fails closes it dirty, so its stores
   * (and their locks) are released whatever happens. Throws the first failure once all are closed.
   */
  closeTasks(clean: boolean, partitions?: readonly TopicPartition[]): void {
    const targets = partitions
      ? new Set(partitions.map((tp) => this.taskOf(tp)).filter((t) => t !== undefined))
      : new Set(this.tasks.values());
    let first: unknown;
    for (const task of targets) {
      this.tasks.delete(task.taskId.toString());
      for (const tp of task.inputPartitions()) this.setTask(tp, undefined);
      const failure = closeQuietly(task, clean);
      first ??= failure;
    }
    if (first !== undefined) throw first;
  }

  private taskOf(tp: TopicPartition): StreamTask | undefined {
    return this.byPartition.get(tp.topic)?.[tp.partition];
  }

  private setTask(tp: TopicPartition, task: StreamTask | undefined): void {
    let tasks = this.byPartition.get(tp.topic);
    if (tasks === undefined) {
      tasks = [];
      this.byPartition.set(tp.topic, tasks);
    }
    tasks[tp.partition] = task;
  }
}

/**
 * Suspends and closes `task` (clean or dirty), each step in its own try; a failed clean close falls back to a
 * dirty one. Returns the first failure instead of throwing: the task is closed either way.
 */
function closeQuietly(task: StreamTask, clean: boolean): unknown {
  let failure: unknown;
  try {
    if (task.state !== 'suspended' && task.state !== 'closed') task.suspend();
  } catch (error) {
    failure = error;
  }
  if (task.state === 'closed') return failure;
  // A task whose processors failed to close is closed dirty.
  if (clean && failure === undefined) {
    try {
      task.closeClean();
      return undefined;
    } catch (error) {
      failure = error;
    }
  }
  try {
    if (task.state === 'suspended') task.closeDirty();
  } catch (error) {
    failure ??= error;
  }
  return failure;
}
