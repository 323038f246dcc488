import type { Headers } from '@tributary/core';
import type { ErrorHandlerContext } from './ErrorHandlerContext.js';
import type { ExceptionHandlerResponse } from './ExceptionHandlerResponse.js';

/**
 * Decides what happens when a sink cannot write a record (`production.exception.handler`): its key or value
 * serde threw (`origin` is `'key'` or `'value'`, and `record.key`/`record.value` are the objects), or the
 * producer refused the serialized record, e.g. a RecordTooLargeError (`origin` undefined, key and value are the
 * bytes). On `'continue'` the record is not written.
 */
export type ProductionExceptionHandler = (
  context: ErrorHandlerContext,
  record: {
    readonly topic: string;
    readonly key: unknown;
    readonly value: unknown;
    readonly timestamp: number;
    readonly headers: Headers;
  },
  error: unknown,
  origin: 'key' | 'value' | undefined,
) => ExceptionHandlerResponse;
