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
export {
  chooseSchemaRegistryRuntime,
  DEFAULT_APICURIO_VERSION,
  FALLBACK_APICURIO_VERSION,
  type ResolveSchemaRegistryOptions,
  resolveSchemaRegistry,
  type SchemaRegistryRuntime,
} from './SchemaRegistryArtifacts.js';
export {
  type SchemaRegistryOptions,
  SchemaRegistryServer,
  type SchemaRegistryState,
} from './SchemaRegistryServer.js';
