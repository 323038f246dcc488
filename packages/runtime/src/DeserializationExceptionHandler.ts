import type { ConsumerRecord } from '@tributary/core';
import type { ErrorHandlerContext } from './ErrorHandlerContext.js';
import type { ExceptionHandlerResponse } from './ExceptionHandlerResponse.js';

/**
 * Decides what happens to an input record whose key or value the source's serde cannot read
 * (`deserialization.exception.handler`). `record` is the record as consumed; `error` what the serde threw.
 */
export type DeserializationExceptionHandler = (
  context: ErrorHandlerContext,
  record: ConsumerRecord,
  error: unknown,
) => ExceptionHandlerResponse;
