import { rmSync } from 'node:fs';
import {
  type ConsumerRecord,
  SystemClock,
  TaskCorruptedError,
  TaskId,
  type TopicPartition,
} from '@tributary/core';
import type { Subtopology, Topology } from '@tributary/dsl';
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
    private readonly globalStores: ReadonlyMap<string, StateStore> = new Map(),
    private readonly restoreListener: StateRestoreListener = {},
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

  /** Creates (and restores) the tasks for newly assigned partitions. */
  async createTasks(partitions: readonly TopicPartition[]): Promise<void> {
    const wanted = new Map<string, { id: TaskId; subtopology: Subtopology }>();
    for (const tp of partitions) {
      const subtopology = this.subtopologyOf.get(tp.topic);
      if (!subtopology) continue;
      const id = new TaskId(subtopology.id, tp.partition);
      if (!this.tasks.has(id.toString())) wanted.set(id.toString(), { id, subtopology });
    }
    const created: StreamTask[] = [];
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
      task.initializeIfNeeded();
      created.push(task);
    }
    await this.restore(created);
    for (const task of created) {
      task.completeRestoration();
      this.tasks.set(task.taskId.toString(), task);
      for (const tp of task.inputPartitions()) this.setTask(tp, task);
    }
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

  /** Closes the tasks of the given partitions (all tasks when omitted), cleanly (after a commit) or dirty. */
  closeTasks(clean: boolean, partitions?: readonly TopicPartition[]): void {
    const targets = partitions
      ? new Set(partitions.map((tp) => this.taskOf(tp)).filter((t) => t !== undefined))
      : new Set(this.tasks.values());
    for (const task of targets) {
      if (task.state !== 'suspended' && task.state !== 'closed') task.suspend();
      if (task.state === 'suspended') clean ? task.closeClean() : task.closeDirty();
      this.tasks.delete(task.taskId.toString());
      for (const tp of task.inputPartitions()) this.setTask(tp, undefined);
    }
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
