import { ConfigError } from '@tributary/core';
import type { AdminClient } from './AdminClient.js';
import type { ClientConfig } from './ClientConfig.js';
import { call } from './internal/promisify.js';
import { type RdKafkaTypes, rdkafka } from './internal/rdkafka.js';
import { KafkaClientError } from './KafkaClientError.js';

export interface NewTopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Default: the broker's `default.replication.factor` (-1). */
  readonly replicationFactor?: number;
  readonly config?: Readonly<Record<string, string>>;
}

export interface PartitionDescription {
  readonly partition: number;
  readonly leader: number | undefined;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: readonly PartitionDescription[];
}

/** Topic administration over librdkafka's admin client. */
export class KafkaAdmin implements AdminClient {
  private constructor(
    private readonly client: RdKafkaTypes.IAdminClient,
    private readonly timeoutMs: number,
  ) {}

  static create(config: ClientConfig, options: { timeoutMs?: number } = {}): KafkaAdmin {
    try {
      return new KafkaAdmin(
        rdkafka.AdminClient.create({ ...config } as RdKafkaTypes.GlobalConfig),
        options.timeoutMs ?? 30_000,
      );
    } catch (error) {
      throw new ConfigError(`the admin client rejected its configuration: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Creates topics; with `ifNotExists` (default true) an existing topic is not an error. */
  async createTopics(
    topics: readonly NewTopicSpec[],
    options: { ifNotExists?: boolean } = {},
  ): Promise<void> {
    const ifNotExists = options.ifNotExists ?? true;
    await Promise.all(
      topics.map(async (topic) => {
        try {
          await call(`creating topic '${topic.name}'`, (cb) =>
            this.client.createTopic(
              {
                topic: topic.name,
                num_partitions: topic.partitions,
                replication_factor: topic.replicationFactor ?? -1,
                config: { ...topic.config } as RdKafkaTypes.NewTopic['config'],
              },
              this.timeoutMs,
              cb,
            ),
          );
        } catch (error) {
          const exists =
            error instanceof KafkaClientError &&
            error.info.code === rdkafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS;
          if (!(exists && ifNotExists)) throw error;
        }
      }),
    );
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map((name) =>
        call(`deleting topic '${name}'`, (cb) => this.client.deleteTopic(name, this.timeoutMs, cb)),
      ),
    );
  }

  async listTopics(): Promise<string[]> {
    return call<string[]>('listing topics', (cb) => this.client.listTopics({ timeout: this.timeoutMs }, cb));
  }

  /** Partitions with leader, replicas and ISR; a topic that does not exist is a KafkaClientError naming it. */
  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    const result = await call<RdKafkaTypes.TopicDescription[]>(
      `describing topics ${names.join(', ')}`,
      (cb) => this.client.describeTopics([...names], { timeout: this.timeoutMs }, cb),
    );
    return result.map((topic) => {
      if (topic.error) throw KafkaClientError.wrap(`describing topic '${topic.name}'`, topic.error);
      return {
        name: topic.name,
        partitions: topic.partitions
          .map((p) => ({
            partition: p.partition,
            leader: p.leader?.id,
            replicas: p.replicas.map((n) => n.id),
            isr: p.isr.map((n) => n.id),
          }))
          .sort((a, b) => a.partition - b.partition),
      };
    });
  }

  /**
   * The end offset of every partition of `topic`: the high watermark (`read_uncommitted`) or the last stable
   * offset (`read_committed`, which stops before the first open transaction). Equal when no transaction is open.
   */
  async endOffsets(topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<number[]> {
    const [description] = await this.describeTopics([topic]);
    const result = await call<RdKafkaTypes.ListOffsetsResult[]>(`listing end offsets of '${topic}'`, (cb) =>
      this.client.listOffsets(
        description!.partitions.map((p) => ({
          topic,
          partition: p.partition,
          offset: rdkafka.OffsetSpec.LATEST,
        })),
        {
          timeout: this.timeoutMs,
          isolationLevel:
            isolation === 'read_committed'
              ? rdkafka.IsolationLevel.READ_COMMITTED
              : rdkafka.IsolationLevel.READ_UNCOMMITTED,
        },
        cb,
      ),
    );
    const offsets: number[] = [];
    for (const r of result) {
      if (r.error) throw KafkaClientError.wrap(`listing the end offset of ${topic}-${r.partition}`, r.error);
      offsets[r.partition] = r.offset;
    }
    return offsets;
  }

  close(): void {
    this.client.disconnect();
  }
}
