export { DeadLetterQueueHeaders } from './DeadLetterQueueHeaders.js';
export { DefaultRecordCollector } from './DefaultRecordCollector.js';
export type { DeserializationExceptionHandler } from './DeserializationExceptionHandler.js';
export { deadLetterQueueRecord } from './deadLetterQueueRecord.js';
export { defaultPartition } from './defaultPartition.js';
export type { ErrorHandlerContext } from './ErrorHandlerContext.js';
export type { ExceptionHandlerResponse } from './ExceptionHandlerResponse.js';
export type { ExceptionHandlerSettings } from './ExceptionHandlerSettings.js';
export { GlobalStateUpdateTask, type GlobalStateUpdateTaskConfig } from './GlobalStateUpdateTask.js';
export { murmur2 } from './murmur2.js';
export type { NegativeTimestampPolicy } from './NegativeTimestampPolicy.js';
export { PartitionGroup } from './PartitionGroup.js';
export type { ProcessingExceptionHandler } from './ProcessingExceptionHandler.js';
export type { ProductionExceptionHandler } from './ProductionExceptionHandler.js';
export type { RecordCollector } from './RecordCollector.js';
export type { RecordProducer } from './RecordProducer.js';
export { RecordQueue } from './RecordQueue.js';
export { SerdePreparer } from './SerdePreparer.js';
export type { StampedRecord } from './StampedRecord.js';
export { StreamTask } from './StreamTask.js';
export type { StreamTaskConfig } from './StreamTaskConfig.js';
export type { TaskMetrics } from './TaskMetrics.js';
export type { TaskState } from './TaskState.js';
export type { TopicPartitionOffset } from './TopicPartitionOffset.js';
export {
  checkCopartitioning,
  type PartitionCountSource,
  topologyPartitionCounts,
} from './topologyPartitionCounts.js';
