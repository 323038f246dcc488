/**
 * Root of every error Tributary throws. Subclasses are named by the fault and grouped by how a caller
 * recovers from it; `cause` carries the underlying error where there is one.
 */
export class StreamsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
