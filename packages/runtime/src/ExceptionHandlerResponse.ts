import type { ProducerRecord } from '@tributary/core';

/**
 * What an exception handler decides: `'continue'` skips the failing record (it is counted in the task's
 * metrics and logged), `'fail'` stops the stream thread with an error naming the record. The object form also
 * names records to write to a dead-letter queue before that (through the task's producer: under exactly-once
 * in the same transaction as the task's output; when they cannot be written the application fails).
 */
export type ExceptionHandlerResponse =
  | 'continue'
  | 'fail'
  | {
      readonly result: 'continue' | 'fail';
      readonly deadLetterQueueRecords?: readonly ProducerRecord[];
    };
