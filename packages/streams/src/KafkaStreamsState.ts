/**
 * The life cycle of a KafkaStreams instance, as in Kafka Streams:
 * CREATED → REBALANCING ⇄ RUNNING → PENDING_SHUTDOWN → NOT_RUNNING, and ERROR when a thread fails and the
 * uncaught-exception handler shuts the client down.
 */
export type KafkaStreamsState =
  | 'CREATED'
  | 'REBALANCING'
  | 'RUNNING'
  | 'PENDING_SHUTDOWN'
  | 'NOT_RUNNING'
  | 'ERROR';

/** What to do when a stream thread dies of an exception. */
export type StreamThreadExceptionResponse = 'REPLACE_THREAD' | 'SHUTDOWN_CLIENT';

export type StreamsUncaughtExceptionHandler = (error: unknown) => StreamThreadExceptionResponse;
