import type { ClientConfig } from '@tributary/kafka';
import { KafkaConsumer } from '@tributary/kafka';
import type { RestorableStateStore, RestoreRecord, StateStore } from '@tributary/state';

function isRestorable(store: StateStore): store is RestorableStateStore {
  return typeof (store as Partial<RestorableStateStore>).restoreBatch === 'function';
}

export interface ChangelogToRestore {
  readonly store: StateStore;
  readonly topic: string;
  readonly partition: number;
}

/**
 * Rebuilds stores from their changelog partitions: reads each from the beginning to its end offset (under
 * exactly-once, the last stable offset — `read_committed`) and hands the records to `restoreBatch`.
 * Returns how many records were restored.
 */
export async function restoreChangelogs(
  config: ClientConfig,
  changelogs: readonly ChangelogToRestore[],
): Promise<number> {
  const work = changelogs.filter((c) => isRestorable(c.store));
  if (work.length === 0) return 0;
  const consumer = await KafkaConsumer.connect(config);
  let restored = 0;
  try {
    const ends = new Map<string, number>();
    const pending = new Map<string, ChangelogToRestore>();
    for (const c of work) {
      const { low, high } = await consumer.watermarks(c.topic, c.partition);
      if (high > low) {
        ends.set(`${c.topic}-${c.partition}`, high);
        pending.set(`${c.topic}-${c.partition}`, c);
      }
    }
    if (pending.size === 0) return 0;
    consumer.assign(
      [...pending.values()].map((c) => ({ topic: c.topic, partition: c.partition, offset: -2 })),
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
        if (r.key) list.push({ key: r.key, value: r.value, timestamp: r.timestamp });
      }
      for (const [id, records] of byPartition) {
        const target = pending.get(id);
        if (target && records.length > 0) (target.store as RestorableStateStore).restoreBatch(records);
        restored += records.length;
      }
      // Under read_committed, markers and aborted records are skipped: the position tells where we are.
      const positions = consumer.position(
        [...pending.values()].map((c) => ({ topic: c.topic, partition: c.partition })),
      );
      for (const p of positions) {
        const id = `${p.topic}-${p.partition}`;
        if (p.offset >= (ends.get(id) ?? 0)) pending.delete(id);
      }
    }
  } finally {
    await consumer.close();
  }
  return restored;
}
