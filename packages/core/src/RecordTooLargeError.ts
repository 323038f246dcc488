import { StreamsError } from './StreamsError.js';

/**
 * The producer refused a record because its serialized size (key, value and headers) is above the producer's
 * `message.max.bytes`. The record was not sent; the production exception handler decides whether to go on.
 */
export class RecordTooLargeError extends StreamsError {}
