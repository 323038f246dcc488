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

/** What the uncaught-exception handler is told besides the error. */
export interface StreamThreadFailure {
  /** The thread that died. */
  readonly threadName: string;
  /** How many threads of this instance were replaced before this death. */
  readonly replacements: number;
  /** How long a replacement would wait (exponential back-off over deaths in a row, up to 60 s). */
  readonly backoffMs: number;
}

export type StreamsUncaughtExceptionHandler = (
  error: unknown,
  failure: StreamThreadFailure,
) => StreamThreadExceptionResponse;
