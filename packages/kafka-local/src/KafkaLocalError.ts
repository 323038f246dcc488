/** Something kept kafka-local from resolving, starting or stopping a broker; the message says what to do. */
export class KafkaLocalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaLocalError';
  }
}
