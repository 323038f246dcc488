import {
  type ConsumerRecord,
  IllegalStateError,
  type TopicPartition,
  topicPartitionKey,
} from '@tributary/core';
import { RecordQueue } from './RecordQueue.js';
import type { StampedRecord } from './StampedRecord.js';

/**
 * The input partitions of one task. `nextRecord()` returns the buffered head with the lowest timestamp
 * across partitions (ties: the partition added first), as Kafka Streams' PartitionGroup does. Stream time is
 * the highest timestamp returned so far.
 *
 * Readiness, as Kafka Streams (KIP-695) with `maxTaskIdleMs` (`max.task.idle.ms`): while a partition is empty,
 * - if the broker still has data for it (its fetched lag, `setFetchedLag`, is above 0 or unknown), the group
 *   waits for that data to be fetched, whatever `maxTaskIdleMs` (unless negative);
 * - if it is caught up (lag 0, the default for partitions nobody reports on), the group waits `maxTaskIdleMs`
 *   of wall-clock time from when it first found it empty (0: not at all), then processes anyway:
 *   "enforced processing", counted (`enforcedProcessingCount`) and reported to `onEnforcedProcessing`.
 * A negative `maxTaskIdleMs` never waits.
 */
export class PartitionGroup {
  private readonly queues: RecordQueue[] = [];
  private readonly byKey = new Map<string, RecordQueue>();
  /** Topic → queues by partition number: the per-record lookup, without building a `topic-partition` string. */
  private readonly byTopic = new Map<string, (RecordQueue | undefined)[]>();
  private streamTimeMs = RecordQueue.UNKNOWN;
  private enforced = 0;
  /** Fetched lag per partition key; absent = 0 (caught up), `undefined` value = unknown. */
  private readonly fetchedLags = new Map<string, number | undefined>();
  /** Per empty, caught-up partition: the wall-clock time after which the group stops waiting for it. */
  private readonly idleDeadlines = new Map<string, number>();
  /** Empty partitions already reported to `onEnforcedProcessing` (until they buffer data again). */
  private readonly reported = new Set<string>();

  constructor(
    queues: Iterable<RecordQueue>,
    private readonly maxTaskIdleMs: number = 0,
    /** Told when processing first goes on without empty partitions (once per partition until it has data again). */
    private readonly onEnforcedProcessing?: (
      partitions: readonly TopicPartition[],
      wallClockTimeMs: number,
    ) => void,
  ) {
    for (const queue of queues) this.addQueue(queue);
  }

  /**
   * What the consumer knows of a partition's data still on the broker: end offset - fetch position (0 = caught
   * up), or undefined when not known yet (KIP-695: an empty partition with lag above 0 or unknown is waited for).
   */
  setFetchedLag(partition: TopicPartition, lag: number | undefined): void {
    const key = topicPartitionKey(partition);
    if (lag === 0) this.fetchedLags.delete(key);
    else this.fetchedLags.set(key, lag);
  }

  addQueue(queue: RecordQueue): void {
    const key = topicPartitionKey(queue.partition);
    if (this.byKey.has(key)) return;
    this.byKey.set(key, queue);
    this.queues.push(queue);
    let byPartition = this.byTopic.get(queue.partition.topic);
    if (byPartition === undefined) {
      byPartition = [];
      this.byTopic.set(queue.partition.topic, byPartition);
    }
    while (byPartition.length <= queue.partition.partition) byPartition.push(undefined);
    byPartition[queue.partition.partition] = queue;
  }

  queue(partition: TopicPartition): RecordQueue | undefined {
    // the common case, one input partition: no map lookup at all
    if (this.queues.length === 1) {
      const only = this.queues[0]!;
      const p = only.partition;
      if (p.partition === partition.partition && p.topic === partition.topic) return only;
    }
    const byPartition = this.byTopic.get(partition.topic);
    return byPartition === undefined ? undefined : byPartition[partition.partition];
  }

  partitions(): TopicPartition[] {
    return this.queues.map((q) => q.partition);
  }

  allQueues(): readonly RecordQueue[] {
    return this.queues;
  }

  /** Buffer records of one partition; returns that partition's buffered count. Throws if not in the group. */
  addRawRecords(partition: TopicPartition, records: Iterable<ConsumerRecord>): number {
    const queue = this.queue(partition);
    if (queue === undefined)
      throw new IllegalStateError(
        `Partition ${topicPartitionKey(partition)} is not an input of this partition group`,
      );
    return queue.addRawRecords(records);
  }

  /** Whether a record may be taken now (see the class comment: KIP-695 and `maxTaskIdleMs`). */
  readyToProcess(wallClockTimeMs: number): boolean {
    const queues = this.queues;
    let anyBuffered = false;
    let allBuffered = true;
    for (let i = 0; i < queues.length; i++) {
      if (queues[i]!.isEmpty()) allBuffered = false;
      else anyBuffered = true;
    }
    if (allBuffered) {
      if (this.idleDeadlines.size > 0) this.idleDeadlines.clear();
      if (this.reported.size > 0) this.reported.clear();
      return anyBuffered;
    }
    if (this.maxTaskIdleMs < 0) return anyBuffered;
    let enforced = false;
    let newlyEnforced: TopicPartition[] | undefined;
    for (let i = 0; i < queues.length; i++) {
      const queue = queues[i]!;
      const key = topicPartitionKey(queue.partition);
      if (!queue.isEmpty()) {
        this.idleDeadlines.delete(key);
        this.reported.delete(key);
        continue;
      }
      if (this.fetchedLags.has(key)) {
        // Unknown, or data known to be on the broker: wait for the fetch.
        this.idleDeadlines.delete(key);
        return false;
      }
      let deadline = this.idleDeadlines.get(key);
      if (deadline === undefined) {
        deadline = wallClockTimeMs + this.maxTaskIdleMs;
        this.idleDeadlines.set(key, deadline);
      }
      if (wallClockTimeMs < deadline) return false;
      enforced = true;
      if (this.onEnforcedProcessing !== undefined && !this.reported.has(key)) {
        this.reported.add(key);
        newlyEnforced ??= [];
        newlyEnforced.push(queue.partition);
      }
    }
    if (!anyBuffered) return false;
    if (enforced) {
      this.enforced++;
      if (newlyEnforced !== undefined) this.onEnforcedProcessing?.(newlyEnforced, wallClockTimeMs);
    }
    return true;
  }

  /** The head with the lowest timestamp across partitions, removed from its queue; advances stream time. */
  nextRecord(): StampedRecord | undefined {
    const queues = this.queues;
    let best: RecordQueue | undefined;
    let bestTimestamp = 0;
    for (let i = 0; i < queues.length; i++) {
      const queue = queues[i]!;
      if (queue.isEmpty()) continue;
      const timestamp = queue.headRecordTimestamp();
      if (best === undefined || timestamp < bestTimestamp) {
        best = queue;
        bestTimestamp = timestamp;
      }
    }
    if (best === undefined) return undefined;
    const record = best.poll()!;
    if (record.record.timestamp > this.streamTimeMs) this.streamTimeMs = record.record.timestamp;
    return record;
  }

  /** Highest timestamp of any record returned by `nextRecord`, or -1 before the first. */
  streamTime(): number {
    return this.streamTimeMs;
  }

  /** Highest timestamp seen on `partition`, or -1. */
  partitionTime(partition: TopicPartition): number {
    return this.byKey.get(topicPartitionKey(partition))?.partitionTime() ?? RecordQueue.UNKNOWN;
  }

  numBuffered(partition?: TopicPartition): number {
    if (partition !== undefined) return this.byKey.get(topicPartitionKey(partition))?.size() ?? 0;
    let total = 0;
    for (const queue of this.queues) total += queue.size();
    return total;
  }

  /** How many times a record was taken while some partition was empty, after waiting `maxTaskIdleMs`. */
  enforcedProcessingCount(): number {
    return this.enforced;
  }

  clear(): void {
    for (const queue of this.queues) queue.clear();
    this.idleDeadlines.clear();
    this.reported.clear();
  }
}
