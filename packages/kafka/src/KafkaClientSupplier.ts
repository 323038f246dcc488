import type { AdminClient } from './AdminClient.js';
import type { ClientConfig } from './ClientConfig.js';
import type { ConsumerClient, ConsumerClientOptions } from './ConsumerClient.js';
import { KafkaAdmin } from './KafkaAdmin.js';
import { KafkaConsumer } from './KafkaConsumer.js';
import { KafkaProducer } from './KafkaProducer.js';
import type { ProducerClient } from './ProducerClient.js';

/**
 * Creates the Kafka clients of a KafkaStreams instance, as Kafka's `KafkaClientSupplier`: the group consumer and
 * producer of each stream thread, the consumers that restore changelogs and follow global tables, and the admin
 * client. The default connects librdkafka clients; tests pass in-memory ones.
 */
export interface KafkaClientSupplier {
  consumer(config: ClientConfig, options?: ConsumerClientOptions): Promise<ConsumerClient>;
  producer(config: ClientConfig): Promise<ProducerClient>;
  admin(config: ClientConfig): AdminClient;
}

/** librdkafka clients (`@confluentinc/kafka-javascript`). */
export const DefaultKafkaClientSupplier: KafkaClientSupplier = {
  consumer: (config, options) => KafkaConsumer.connect(config, options),
  producer: (config) => KafkaProducer.connect(config),
  admin: (config) => KafkaAdmin.create(config),
};
