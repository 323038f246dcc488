export {
  type BrokerState,
  type ClusterState,
  KafkaCluster,
  type KafkaClusterOptions,
} from './KafkaCluster.js';
export {
  checkJava,
  DEFAULT_KAFKA_VERSION,
  defaultCacheDir,
  type ResolveJarsOptions,
  resolveKafkaJars,
} from './KafkaJars.js';
export { KafkaLocalError } from './KafkaLocalError.js';
