import { SystemClock } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import type { ConsumerClient, KafkaClientSupplier } from '@tributary/kafka';
import { GlobalStateUpdateTask, SerdePreparer } from '@tributary/runtime';
import type { StateStore } from '@tributary/state';
import type { StreamsConfig } from '../StreamsConfig.js';

/**
 * Keeps the GlobalKTables of one process: reads every partition of every global topic, first to its end before
 * any stream thread starts (so a stream–global join sees the whole table), then keeps following it.
 */
export class GlobalStreamThread {
  private readonly task: GlobalStateUpdateTask;
  /** The global sources' serde `prepare` hooks, awaited per poll batch (e.g. Avro schema ids). */
  private readonly serdes: SerdePreparer;
  private consumer: ConsumerClient | undefined;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    topology: Topology,
    private readonly config: StreamsConfig,
    private readonly onError: (error: unknown) => void,
    private readonly supplier: KafkaClientSupplier,
  ) {
    this.serdes = new SerdePreparer(topology, (t) => topology.resolveTopic(config.applicationId, t), {
      globalOnly: true,
    });
    this.task = new GlobalStateUpdateTask({
      applicationId: config.applicationId,
      topology,
      clock: SystemClock,
      stateDir: config.stateDir, // RocksDB global stores live under state.dir/<application.id>/-1_-1
    });
  }

  /** Loads every global store to the end of its topic and starts following; returns the stores by name. */
  async start(): Promise<ReadonlyMap<string, StateStore>> {
    const stores = this.task.initialize();
    const topics = this.task.topics();
    if (topics.length === 0) return stores;
    const admin = this.supplier.admin(this.config.adminConfig());
    const partitions = (await admin.describeTopics(topics).finally(() => admin.close())).flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition })),
    );
    const consumer = await this.supplier.consumer({
      ...this.config.restoreConsumerConfig(),
      'group.id': `${this.config.applicationId}-global`,
    });
    this.consumer = consumer;
    const ends = new Map<string, number>();
    for (const tp of partitions)
      ends.set(`${tp.topic}-${tp.partition}`, (await consumer.watermarks(tp.topic, tp.partition)).high);
    consumer.assign(partitions.map((tp) => ({ ...tp, offset: -2 })));
    let pending = partitions.filter((tp) => (ends.get(`${tp.topic}-${tp.partition}`) ?? 0) > 0);
    while (pending.length > 0) {
      const records = await consumer.poll(5_000, 200);
      if (records.length > 0) await this.serdes.prepare(records);
      for (const record of records) this.task.update(record);
      const positions = new Map(
        consumer.position(pending).map((p) => [`${p.topic}-${p.partition}`, p.offset]),
      );
      pending = pending.filter(
        (tp) =>
          (positions.get(`${tp.topic}-${tp.partition}`) ?? -1) <
          (ends.get(`${tp.topic}-${tp.partition}`) ?? 0),
      );
    }
    this.task.flushState();
    this.running = true;
    this.loop = this.follow().catch((error) => {
      this.running = false;
      this.onError(error);
    });
    return stores;
  }

  private async follow(): Promise<void> {
    while (this.running) {
      const records = await this.consumer!.poll(1_000, this.config.pollMs);
      if (records.length > 0) await this.serdes.prepare(records);
      for (const record of records) this.task.update(record);
      if (records.length > 0) this.task.flushState();
    }
  }

  async shutdown(): Promise<void> {
    this.running = false;
    await this.loop;
    this.task.close();
    await this.consumer?.close();
  }
}
