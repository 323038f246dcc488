export type { AdminClient } from './AdminClient.js';
export type { ClientConfig } from './ClientConfig.js';
export type { ConsumerClient, ConsumerClientOptions } from './ConsumerClient.js';
export {
  KafkaAdmin,
  type NewTopicSpec,
  type PartitionDescription,
  type TopicDescription,
} from './KafkaAdmin.js';
export { KafkaClientError, type KafkaErrorInfo } from './KafkaClientError.js';
export { DefaultKafkaClientSupplier, type KafkaClientSupplier } from './KafkaClientSupplier.js';
export { KafkaConsumer, type RebalanceListener } from './KafkaConsumer.js';
export { KafkaProducer, type TopicPartitionOffset } from './KafkaProducer.js';
export type { ProducerClient } from './ProducerClient.js';
