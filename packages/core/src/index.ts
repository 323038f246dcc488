export { BigEndianTimestamp } from './BigEndianTimestamp.js';
export type { Clock } from './Clock.js';
export { SystemClock } from './Clock.js';
export { ConfigError } from './ConfigError.js';
export { ConsoleLogger, type ConsoleLoggerOptions } from './ConsoleLogger.js';
export { type Header, Headers } from './Headers.js';
export { IllegalStateError } from './IllegalStateError.js';
export type { ConsumerRecord, ProducerRecord } from './KafkaRecords.js';
export type { LogFields, Logger, LogLevel } from './Logger.js';
export { Record } from './Record.js';
export { RecordTooLargeError } from './RecordTooLargeError.js';
export {
  deserializeNullable,
  type Serde,
  type SerdePrepareRequest,
  type SerializedRecord,
  serializeNullable,
} from './Serde.js';
export { Serdes } from './Serdes.js';
export { SerializationError } from './SerializationError.js';
export { StreamsError } from './StreamsError.js';
export { TaskCorruptedError } from './TaskCorruptedError.js';
export { TaskId } from './TaskId.js';
export { TaskMigratedError } from './TaskMigratedError.js';
export { type TopicPartition, topicPartitionKey } from './TopicPartition.js';
export { TopologyError } from './TopologyError.js';
export { type Window, type Windowed, windowed } from './Windowed.js';
