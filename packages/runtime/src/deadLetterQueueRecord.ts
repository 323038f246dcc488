import type { ProducerRecord } from '@tributary/core';
import { DeadLetterQueueHeaders as H } from './DeadLetterQueueHeaders.js';
import type { ErrorHandlerContext } from './ErrorHandlerContext.js';

/**
 * The dead-letter queue record of a failure, as the built-in handlers write it: the input record's original
 * key and value bytes and headers, its timestamp, plus headers naming the error and where it happened (see
 * DeadLetterQueueHeaders). The producer picks the partition (murmur2 of the key bytes, as for any keyed record).
 */
export function deadLetterQueueRecord(
  topic: string,
  context: ErrorHandlerContext,
  error: unknown,
): ProducerRecord {
  const headers = context.headers.copy();
  const e = error instanceof Error ? error : undefined;
  headers.add(H.exception, e === undefined ? typeof error : e.name || e.constructor.name);
  headers.add(H.message, e === undefined ? String(error) : e.message);
  headers.add(H.stacktrace, e?.stack ?? '');
  headers.add(H.topic, context.topic ?? null);
  headers.add(H.partition, String(context.partition));
  headers.add(H.offset, String(context.offset));
  headers.add(H.processor, context.processorNodeId);
  headers.add(H.task, String(context.taskId));
  return {
    topic,
    key: context.sourceRawKey,
    value: context.sourceRawValue,
    timestamp: Math.max(0, context.timestamp),
    headers,
  };
}
