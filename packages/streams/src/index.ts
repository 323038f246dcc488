export * from '@tributary/core';
export * from '@tributary/dsl';
export {
  type AdminClient,
  type ConsumerClient,
  DefaultKafkaClientSupplier,
  KafkaClientError,
  type KafkaClientSupplier,
  type KafkaErrorInfo,
  type ProducerClient,
} from '@tributary/kafka';
export {
  RocksDBDslStoreSuppliers,
  RocksDBKeyValueStore,
  RocksDBSessionStore,
  RocksDBStores,
  RocksDBWindowStore,
} from '@tributary/rocksdb';
export {
  DeadLetterQueueHeaders,
  type DeserializationExceptionHandler,
  deadLetterQueueRecord,
  type ErrorHandlerContext,
  type ExceptionHandlerResponse,
  type ExceptionHandlerSettings,
  type ProcessingExceptionHandler,
  type ProductionExceptionHandler,
} from '@tributary/runtime';
export type {
  KeyValue,
  KeyValueIterator,
  ReadOnlyKeyValueStore,
  ReadOnlySessionStore,
  ReadOnlyWindowStore,
  WindowStoreEntry,
} from '@tributary/state';
export { InMemoryDslStoreSuppliers, InvalidStateStoreError, Stores } from '@tributary/state';
export { KafkaStreams } from './KafkaStreams.js';
export type {
  KafkaStreamsState,
  StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
  StreamThreadFailure,
} from './KafkaStreamsState.js';
export type { StandbyUpdateListener } from './StandbyUpdateListener.js';
export type { StateRestoreListener } from './StateRestoreListener.js';
export { type ProcessingGuarantee, StreamsConfig, type StreamsConfigInput } from './StreamsConfig.js';
export type { HostInfo, KeyQueryMetadata, StreamsMetadata } from './StreamsMetadata.js';
export type {
  PartitionLag,
  StreamsMetrics,
  TaskMetricsSnapshot,
  ThreadMetricsSnapshot,
} from './StreamsMetrics.js';
export type { TopologyModule } from './TopologyModule.js';
