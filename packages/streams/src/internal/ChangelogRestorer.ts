import { TaskCorruptedError, type TaskId } from '@tributary/core';
import type { ClientConfig, KafkaClientSupplier } from '@tributary/kafka';
import type { RestorableStateStore, RestoreRecord, StateStore } from '@tributary/state';
import type { StateRestoreListener } from '../StateRestoreListener.js';

function isRestorable(store: StateStore): store is RestorableStateStore {
  return typeof (store as Partial<RestorableStateStore>).restoreBatch === 'function';
}

const DEBUG = process.env.TRIBUTARY_DEBUG === '1';

export interface ChangelogToRestore {
  readonly taskId: TaskId;
  readonly store: StateStore;
  readonly topic: string;
  readonly partition: number;
}

/**
 * Rebuilds stores from their changelog partitions: reads each to its end offset (under exactly-once, the
 * last stable offset — `read_committed`) and hands the records to `restoreBatch`. An in-memory store starts
 * at the beginning; a persistent store at its checkpoint (the changelog offset its local data includes), so
 * after a clean stop or a crash only the tail it misses is replayed. A checkpoint beyond the end of the
 * changelog means the local state belongs to another changelog (the topic was deleted and re-created): the
 * task is corrupted and its state directory must go. Returns how many records were restored.
 */
export async function restoreChangelogs(
  supplier: KafkaClientSupplier,
  config: ClientConfig,
  changelogs: readonly ChangelogToRestore[],
  listener: StateRestoreListener = {},
): Promise<number> {
  const work = changelogs.filter((c) => isRestorable(c.store));
  if (work.length === 0) return 0;
  const consumer = await supplier.consumer(config);
  let restored = 0;
  try {
    const ends = new Map<string, number>();
    const starts = new Map<string, number>();
    const totals = new Map<string, number>();
    const pending = new Map<string, ChangelogToRestore>();
    const corrupted: { c: ChangelogToRestore; checkpoint: number; high: number }[] = [];
    for (const c of work) {
      const { low, high } = await consumer.watermarks(c.topic, c.partition);
      const checkpoint = c.store.committedOffset?.();
      if (checkpoint !== undefined && checkpoint > high) {
        corrupted.push({ c, checkpoint, high });
        continue;
      }
      const start = Math.max(low, checkpoint ?? low);
      if (DEBUG) {
        console.error(
          `[restore] ${c.store.name} ${c.topic}-${c.partition}: low ${low}, high ${high}, checkpoint ${checkpoint}`,
        );
      }
      if (high > start) {
        ends.set(`${c.topic}-${c.partition}`, high);
        starts.set(`${c.topic}-${c.partition}`, start);
        pending.set(`${c.topic}-${c.partition}`, c);
        totals.set(`${c.topic}-${c.partition}`, 0);
        listener.onRestoreStart?.({ topic: c.topic, partition: c.partition }, c.store.name, start, high);
      }
    }
    if (corrupted.length > 0) {
      const stores = corrupted
        .map(
          ({ c, checkpoint, high }) =>
            `store '${c.store.name}' of task ${c.taskId} has local state up to offset ${checkpoint} of changelog ` +
            `${c.topic}-${c.partition}, which ends at ${high}`,
        )
        .join('; ');
      throw new TaskCorruptedError(
        `${stores}: the changelog was re-created, so the local state of these tasks must be wiped`,
        { taskIds: corrupted.map(({ c }) => c.taskId) },
      );
    }
    if (pending.size === 0) return 0;
    consumer.assign(
      [...pending.entries()].map(([id, c]) => ({
        topic: c.topic,
        partition: c.partition,
        offset: starts.get(id)!,
      })),
    );
    while (pending.size > 0) {
      const batch = await consumer.poll(10_000, 200);
      const byPartition = new Map<string, RestoreRecord[]>();
      for (const r of batch) {
        const id = `${r.topic}-${r.partition}`;
        let list = byPartition.get(id);
        if (!list) {
          list = [];
          byPartition.set(id, list);
        }
        if (r.key) list.push({ key: r.key, value: r.value, timestamp: r.timestamp, offset: r.offset });
      }
      for (const [id, records] of byPartition) {
        const target = pending.get(id);
        if (target && records.length > 0) {
          (target.store as RestorableStateStore).restoreBatch(records);
          totals.set(id, (totals.get(id) ?? 0) + records.length);
          listener.onBatchRestored?.(
            { topic: target.topic, partition: target.partition },
            target.store.name,
            records[records.length - 1]!.offset,
            records.length,
          );
        }
        restored += records.length;
      }
      // Under read_committed, markers and aborted records are skipped: the position tells where we are.
      const positions = consumer.position(
        [...pending.values()].map((c) => ({ topic: c.topic, partition: c.partition })),
      );
      for (const p of positions) {
        const id = `${p.topic}-${p.partition}`;
        if (p.offset >= (ends.get(id) ?? 0)) {
          const done = pending.get(id)!;
          pending.delete(id);
          listener.onRestoreEnd?.(
            { topic: p.topic, partition: p.partition },
            done.store.name,
            totals.get(id) ?? 0,
          );
        }
      }
    }
  } finally {
    await consumer.close();
  }
  return restored;
}
