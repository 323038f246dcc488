import { StreamsError } from '@tributary/core';

/** A task stopped because an exception handler said fail (or could not do its job); the message names the record. */
export class FailedProcessingError extends StreamsError {}
