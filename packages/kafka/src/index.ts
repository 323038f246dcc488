export type { ClientConfig } from './ClientConfig.js';
export {
  KafkaAdmin,
  type NewTopicSpec,
  type PartitionDescription,
  type TopicDescription,
} from './KafkaAdmin.js';
export { KafkaClientError, type KafkaErrorInfo } from './KafkaClientError.js';
export { KafkaConsumer, type RebalanceListener } from './KafkaConsumer.js';
export { KafkaProducer, type TopicPartitionOffset } from './KafkaProducer.js';
