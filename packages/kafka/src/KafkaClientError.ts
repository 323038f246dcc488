import { StreamsError } from '@tributary/core';
import { rdkafka } from './internal/rdkafka.js';

const E = rdkafka.CODES.ERRORS;
/** Codes that mean this client no longer owns its partitions or its transactional id. */
const MIGRATION_CODES = new Set<number>([
  E.ERR__FENCED,
  E.ERR_PRODUCER_FENCED,
  E.ERR_INVALID_PRODUCER_EPOCH,
  E.ERR_ILLEGAL_GENERATION,
  E.ERR_UNKNOWN_MEMBER_ID,
  E.ERR_FENCED_INSTANCE_ID,
  E.ERR_REBALANCE_IN_PROGRESS,
  E.ERR__MAX_POLL_EXCEEDED,
  E.ERR__ASSIGNMENT_LOST,
]);

/** Codes that mean the cluster (or the coordinator, or a leader) could not be reached in time. */
const UNREACHABLE_CODES = new Set<number>([
  E.ERR__TRANSPORT,
  E.ERR__ALL_BROKERS_DOWN,
  E.ERR__TIMED_OUT,
  E.ERR__TIMED_OUT_QUEUE,
  E.ERR__MSG_TIMED_OUT,
  E.ERR__RESOLVE,
  E.ERR_REQUEST_TIMED_OUT,
  E.ERR_NETWORK_EXCEPTION,
  E.ERR_COORDINATOR_NOT_AVAILABLE,
  E.ERR_NOT_COORDINATOR,
  E.ERR_COORDINATOR_LOAD_IN_PROGRESS,
  E.ERR_LEADER_NOT_AVAILABLE,
  E.ERR_NOT_LEADER_FOR_PARTITION,
]);

function codeName(code: number): string {
  for (const [name, value] of Object.entries(E)) if (value === code) return `${name} (${code})`;
  return String(code);
}

/** Details librdkafka attaches to its errors. */
export interface KafkaErrorInfo {
  readonly code: number | undefined;
  readonly fatal: boolean;
  readonly retriable: boolean;
  readonly txnRequiresAbort: boolean;
  /** The producer was fenced or the consumer left its group generation: the tasks moved elsewhere. */
  readonly migrated: boolean;
  /** The cluster could not be reached in time (transport failure, timeout, no coordinator): worth waiting out. */
  readonly unreachable?: boolean;
}

/** A Kafka client operation failed; `info` carries librdkafka's error code and flags. */
export class KafkaClientError extends StreamsError {
  readonly info: KafkaErrorInfo;

  constructor(message: string, info: KafkaErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.info = info;
  }

  /** Whether the producer refused a record for its size (above its `message.max.bytes`). */
  static isRecordTooLarge(error: unknown): boolean {
    return error instanceof KafkaClientError && error.info.code === E.ERR_MSG_SIZE_TOO_LARGE;
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
    // librdkafka leaves some messages empty (an abort that timed out said only "aborting ... failed: "): name the code.
    const detail =
      e.message || (e.code === undefined ? String(error) : `librdkafka error ${codeName(e.code)}`);
    return new KafkaClientError(
      `${doing} failed: ${detail}`,
      {
        code: e.code,
        fatal: e.isFatal === true,
        retriable: e.isRetriable === true,
        txnRequiresAbort: e.isTxnRequiresAbort === true,
        migrated: e.code !== undefined && MIGRATION_CODES.has(e.code),
        unreachable: e.code !== undefined && UNREACHABLE_CODES.has(e.code),
      },
      { cause: error },
    );
  }
}
