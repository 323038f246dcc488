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
 * `maxTaskIdleMs` (Kafka's `max.task.idle.ms`): while some partition is empty, the group is not ready to
 * process until it has waited that long (wall-clock) since it first found a partition empty; then it
 * processes anyway ("enforced processing", counted). 0 processes at once; a negative value never waits.
 */
export class PartitionGroup {
  private readonly queues: RecordQueue[] = [];
  private readonly byKey = new Map<string, RecordQueue>();
  /** Topic → queues by partition number: the per-record lookup, without building a `topic-partition` string. */
  private readonly byTopic = new Map<string, (RecordQueue | undefined)[]>();
  private streamTimeMs = RecordQueue.UNKNOWN;
  private idleStartMs = RecordQueue.UNKNOWN;
  private enforced = 0;

  constructor(
    queues: Iterable<RecordQueue>,
    private readonly maxTaskIdleMs: number = 0,
  ) {
    for (const queue of queues) this.addQueue(queue);
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

  /** Whether a record may be taken now (see `maxTaskIdleMs`). */
  readyToProcess(wallClockTimeMs: number): boolean {
    const queues = this.queues;
    let anyBuffered = false;
    let allBuffered = true;
    for (let i = 0; i < queues.length; i++) {
      if (queues[i]!.isEmpty()) allBuffered = false;
      else anyBuffered = true;
    }
    if (!anyBuffered) return false;
    if (allBuffered) {
      this.idleStartMs = RecordQueue.UNKNOWN;
      return true;
    }
    if (this.maxTaskIdleMs < 0) return true;
    if (this.idleStartMs === RecordQueue.UNKNOWN) this.idleStartMs = wallClockTimeMs;
    if (wallClockTimeMs - this.idleStartMs >= this.maxTaskIdleMs) {
      this.enforced++;
      return true;
    }
    return false;
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
    this.idleStartMs = RecordQueue.UNKNOWN;
  }
}
