import type { DeserializationExceptionHandler } from './DeserializationExceptionHandler.js';
import type { ProcessingExceptionHandler } from './ProcessingExceptionHandler.js';
import type { ProductionExceptionHandler } from './ProductionExceptionHandler.js';

/**
 * The exception handlers of a task, as Kafka Streams configures them. The built-in ones, named by a string,
 * write the failing record to `deadLetterQueueTopic` when it is set (with `'logAndFail'`/`'fail'` too: under
 * exactly-once that write is aborted with the rest of the transaction).
 */
export interface ExceptionHandlerSettings {
  /** `deserialization.exception.handler`; default `'logAndFail'`. */
  readonly deserialization?: 'logAndFail' | 'logAndContinue' | DeserializationExceptionHandler;
  /** `processing.exception.handler`; default `'logAndFail'`. */
  readonly processing?: 'logAndFail' | 'logAndContinue' | ProcessingExceptionHandler;
  /** `production.exception.handler`; default `'fail'`. */
  readonly production?: 'fail' | 'continue' | ProductionExceptionHandler;
  /** `errors.dead.letter.queue.topic.name`: the built-in handlers write failing records there. */
  readonly deadLetterQueueTopic?: string;
  /** Where a skipped record is reported (once, with its context); default `console.warn`. */
  readonly log?: (message: string) => void;
}
