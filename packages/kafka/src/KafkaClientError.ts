import { StreamsError } from '@tributary/core';

/** Details librdkafka attaches to its errors. */
export interface KafkaErrorInfo {
  readonly code: number | undefined;
  readonly fatal: boolean;
  readonly retriable: boolean;
  readonly txnRequiresAbort: boolean;
}

/** A Kafka client operation failed; `info` carries librdkafka's error code and flags. */
export class KafkaClientError extends StreamsError {
  readonly info: KafkaErrorInfo;

  constructor(message: string, info: KafkaErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.info = info;
  }

  /** Wraps a librdkafka error (or anything thrown) with what was being done. */
  static wrap(doing: string, error: unknown): KafkaClientError {
    if (error instanceof KafkaClientError) return error;
    const e = (error ?? {}) as {
      message?: string;
      code?: number;
      isFatal?: boolean;
      isRetriable?: boolean;
      isTxnRequiresAbort?: boolean;
    };
    return new KafkaClientError(
      `${doing} failed: ${e.message ?? String(error)}`,
      {
        code: e.code,
        fatal: e.isFatal === true,
        retriable: e.isRetriable === true,
        txnRequiresAbort: e.isTxnRequiresAbort === true,
      },
      { cause: error },
    );
  }
}
