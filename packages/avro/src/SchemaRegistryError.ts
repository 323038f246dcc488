import { StreamsError } from '@tributary/core';

/**
 * The schema registry answered with an error (or could not be reached). `status` is the HTTP status (0 when
 * no answer came), `errorCode` the registry's own code (e.g. 40403 schema not found, 409 incompatible), and
 * the message carries the registry's words.
 */
export class SchemaRegistryError extends StreamsError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The registry does not know the schema, subject or version asked for. */
  get notFound(): boolean {
    return this.status === 404;
  }
}
