/**
 * Header names of a dead-letter queue record (Kafka Streams' KIP-1034 names, plus the processor and the task).
 * Values are UTF-8 strings.
 */
export const DeadLetterQueueHeaders = {
  /** The error's class name, e.g. `SerializationError` or `TypeError`. */
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  stacktrace: '__streams.errors.stacktrace',
  /** Where the failing input record was read: topic, partition, offset (-1 when there was none). */
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
  /** The node that failed, and the task (`0_1`). Not in Kafka Streams. */
  processor: '__streams.errors.processor',
  task: '__streams.errors.task',
} as const;
