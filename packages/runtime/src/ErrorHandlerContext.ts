import type { Headers, TaskId } from '@tributary/core';

/**
 * Where an error happened, as Kafka Streams' `ErrorHandlerContext`: given to every exception handler with the
 * failing record and the error. For an error outside any input record (a punctuator, or a record a punctuator
 * forwarded) `topic` is undefined, `partition` and `offset` are -1 and the raw key and value are null.
 */
export interface ErrorHandlerContext {
  /** The task the error happened in. */
  readonly taskId: TaskId;
  /** The node that failed: the source node for a deserialization error, the sink for a production error. */
  readonly processorNodeId: string;
  /** The topic of the input record being processed (the real, prefixed name). */
  readonly topic: string | undefined;
  readonly partition: number;
  readonly offset: number;
  /** The timestamp of the record at the failing node (the punctuation time inside a punctuator). */
  readonly timestamp: number;
  /** The headers of the input record (empty inside a punctuator). */
  readonly headers: Headers;
  /** The key bytes of the input record as consumed (what a dead-letter queue record carries). */
  readonly sourceRawKey: Buffer | null;
  /** The value bytes of the input record as consumed. */
  readonly sourceRawValue: Buffer | null;
}
