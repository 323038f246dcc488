import type { Record } from '@tributary/core';
import type { ErrorHandlerContext } from './ErrorHandlerContext.js';
import type { ExceptionHandlerResponse } from './ExceptionHandlerResponse.js';

/**
 * Decides what happens when user code throws in a processor or a punctuator (`processing.exception.handler`).
 * `record` is the record as it reached the failing processor (undefined when a punctuator threw); on
 * `'continue'` that processor's work on it is skipped and processing goes on with the next record.
 */
export type ProcessingExceptionHandler = (
  context: ErrorHandlerContext,
  record: Record<unknown, unknown> | undefined,
  error: unknown,
) => ExceptionHandlerResponse;
