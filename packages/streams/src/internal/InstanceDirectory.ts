import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import type { StreamsConfig } from '../StreamsConfig.js';
import type { HostInfo, StreamsMetadata } from '../StreamsMetadata.js';

/** The internal topic where each instance says where it serves queries and which tasks it runs. */
export function instancesTopicName(applicationId: string): string {
  return `${applicationId}-instances`;
}

interface InstanceRecord {
  readonly host: string;
  readonly port: number;
  readonly activeTasks: readonly string[];
  readonly standbyTasks: readonly string[];
  readonly stores: readonly string[];
  /** Wall-clock time of the announcement: where two instances claim a task, the later claim wins. */
  readonly at: number;
}

/** How often an instance repeats its announcement; one not heard of for `STALE_AFTER_MS` is forgotten. */
const ANNOUNCE_EVERY_MS = 10_000;
const STALE_AFTER_MS = 45_000;

/**
 * Instances of one application know each other through a compacted topic `<application.id>-instances`, one
 * partition, keyed by process id: each instance with `application.server` announces its host and tasks after
 * every rebalance and every 10 s (and a tombstone when it closes), and every instance reads the topic
 * continuously; an instance not heard of for 45 s (it crashed) is forgotten. The
 * group protocol decides who runs what; this only tells the others, so a query for a key can go to its owner.
 */
export class InstanceDirectory {
  private readonly instances = new Map<string, InstanceRecord>();
  private producer: KafkaProducer | undefined;
  private consumer: KafkaConsumer | undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private readonly topic: string;
  private timer: NodeJS.Timeout | undefined;
  private last: {
    activeTasks: readonly string[];
    stores: readonly string[];
    standbyTasks: readonly string[];
  } = {
    activeTasks: [],
    stores: [],
    standbyTasks: [],
  };

  constructor(
    private readonly config: StreamsConfig,
    private readonly processId: string,
    private readonly self: HostInfo,
  ) {
    this.topic = instancesTopicName(config.applicationId);
  }

  async start(): Promise<void> {
    const admin = KafkaAdmin.create(this.config.adminConfig());
    try {
      await admin.createTopics([
        {
          name: this.topic,
          partitions: 1,
          replicationFactor: this.config.replicationFactor,
          config: { 'cleanup.policy': 'compact', 'segment.ms': '600000' },
        },
      ]);
    } finally {
      admin.close();
    }
    this.producer = await KafkaProducer.connect(this.config.producerConfig(undefined));
    this.consumer = await KafkaConsumer.connect({
      ...this.config.restoreConsumerConfig(),
      'isolation.level': 'read_uncommitted',
      'group.id': `${this.config.applicationId}-instances-reader`,
    });
    this.consumer.assign([{ topic: this.topic, partition: 0, offset: -2 }]);
    this.running = true;
    this.loop = this.follow();
    this.timer = setInterval(() => {
      this.announce(this.last.activeTasks, this.last.stores, this.last.standbyTasks).catch((error) =>
        this.config.logger.warn({ topic: this.topic, error }, 'announcing this instance failed; will retry'),
      );
    }, ANNOUNCE_EVERY_MS);
    this.timer.unref();
  }

  /** Tells the other instances (and this one) which tasks this instance runs now. */
  async announce(
    activeTasks: readonly string[],
    stores: readonly string[],
    standbyTasks: readonly string[] = [],
  ): Promise<void> {
    this.last = { activeTasks, stores, standbyTasks };
    const record: InstanceRecord = {
      host: this.self.host,
      port: this.self.port,
      activeTasks: [...activeTasks].sort(),
      standbyTasks: [...standbyTasks].sort(),
      stores: [...stores].sort(),
      at: Date.now(),
    };
    this.instances.set(this.processId, record);
    await this.send(Buffer.from(JSON.stringify(record)));
  }

  /** Every instance heard of, this one included, as Kafka Streams' `metadataForAllStreamsClients()`. */
  all(): StreamsMetadata[] {
    return this.live()
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([processId, r]) => ({
        hostInfo: { host: r.host, port: r.port },
        processId,
        stateStoreNames: r.stores,
        activeTasks: r.activeTasks,
        standbyTasks: r.standbyTasks,
      }));
  }

  /** The host that last claimed task `taskId`, if any. */
  ownerOf(taskId: string): HostInfo | undefined {
    const owner = this.claim(taskId);
    return owner && { host: owner[1].host, port: owner[1].port };
  }

  /** The process id of the instance that last claimed task `taskId`, if any. */
  ownerProcessOf(taskId: string): string | undefined {
    return this.claim(taskId)?.[0];
  }

  /** Hosts holding a standby of `taskId`. */
  standbyHostsOf(taskId: string): HostInfo[] {
    return this.live()
      .filter(([, r]) => r.standbyTasks.includes(taskId))
      .map(([, r]) => ({ host: r.host, port: r.port }));
  }

  private claim(taskId: string): [string, InstanceRecord] | undefined {
    let owner: [string, InstanceRecord] | undefined;
    for (const entry of this.live()) {
      if (entry[1].activeTasks.includes(taskId) && (owner === undefined || entry[1].at > owner[1].at))
        owner = entry;
    }
    return owner;
  }

  private live(): [string, InstanceRecord][] {
    const oldest = Date.now() - STALE_AFTER_MS;
    return [...this.instances].filter(([id, r]) => id === this.processId || r.at >= oldest);
  }

  /** Says goodbye (a tombstone), then stops reading. */
  async close(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    const errors: unknown[] = [];
    try {
      await this.send(null);
    } catch (error) {
      errors.push(error);
    }
    await this.loop?.catch(() => undefined);
    await this.producer?.close().catch((e) => errors.push(e));
    await this.consumer?.close().catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  }

  private async send(value: Buffer | null): Promise<void> {
    if (this.producer === undefined) return;
    this.producer.send({
      topic: this.topic,
      partition: 0,
      key: Buffer.from(this.processId),
      value,
      timestamp: Date.now(),
      headers: new Headers(),
    });
    await this.producer.flush();
  }

  private async follow(): Promise<void> {
    while (this.running) {
      let records: Awaited<ReturnType<KafkaConsumer['poll']>>;
      try {
        records = await this.consumer!.poll(500, 200);
      } catch (error) {
        this.config.logger.warn(
          { topic: this.topic, error },
          'reading the instance directory failed; retrying',
        );
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      for (const record of records) {
        const processId = record.key?.toString();
        if (processId === undefined || processId === this.processId) continue;
        if (record.value === null) this.instances.delete(processId);
        else this.instances.set(processId, JSON.parse(record.value.toString()) as InstanceRecord);
      }
    }
  }
}
