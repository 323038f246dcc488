export * from '@tributary/core';
export * from '@tributary/dsl';
export { KafkaStreams } from './KafkaStreams.js';
export type {
  KafkaStreamsState,
  StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
} from './KafkaStreamsState.js';
export { type ProcessingGuarantee, StreamsConfig, type StreamsConfigInput } from './StreamsConfig.js';
export type { TopologyModule } from './TopologyModule.js';
