import {
  ConfigError,
  type ConsumerRecord,
  Headers,
  type ProducerRecord,
  type Record,
  type StreamsError,
  type TaskId,
} from '@tributary/core';
import type { DeserializationExceptionHandler } from '../DeserializationExceptionHandler.js';
import { deadLetterQueueRecord } from '../deadLetterQueueRecord.js';
import type { ErrorHandlerContext } from '../ErrorHandlerContext.js';
import type { ExceptionHandlerResponse } from '../ExceptionHandlerResponse.js';
import type { ExceptionHandlerSettings } from '../ExceptionHandlerSettings.js';
import type { ProcessingExceptionHandler } from '../ProcessingExceptionHandler.js';
import type { ProductionExceptionHandler } from '../ProductionExceptionHandler.js';
import type { RecordCollector } from '../RecordCollector.js';
import { FailedProcessingError } from './FailedProcessingError.js';
import { messageOf } from './messageOf.js';

type Kind = 'deserialization' | 'processing' | 'production';

const EMPTY_HEADERS = new Headers();

/**
 * The exception handlers of one task, resolved from its settings, and everything around a handler call: the
 * context, the dead-letter queue records (sent through the task's collector, so under exactly-once in the
 * same transaction), the log line and the counters of a skipped record, and the error that stops the task.
 * Nothing here runs unless a record failed.
 */
export class TaskExceptionHandlers {
  /** Records skipped because a handler chose to continue, by kind (punctuator errors are counted too). */
  deserializationErrors = 0;
  processingErrors = 0;
  productionErrors = 0;
  /** Records skipped (not punctuator errors): part of the task's droppedRecordsTotal. */
  skippedRecords = 0;

  private readonly deserialization: DeserializationExceptionHandler;
  private readonly processing: ProcessingExceptionHandler;
  private readonly production: ProductionExceptionHandler;
  private readonly log: (message: string) => void;
  /** The last error this task failed with: outer processors must not hand it to their handler again. */
  private failure: unknown = undefined;

  constructor(
    settings: ExceptionHandlerSettings,
    private readonly taskId: TaskId,
    private readonly taskName: string,
    private readonly collector: RecordCollector,
  ) {
    const dlq = settings.deadLetterQueueTopic;
    const builtIn =
      (result: 'continue' | 'fail') =>
      (context: ErrorHandlerContext, _record: unknown, error: unknown): ExceptionHandlerResponse =>
        dlq === undefined
          ? result
          : { result, deadLetterQueueRecords: [deadLetterQueueRecord(dlq, context, error)] };
    const pick = <H>(setting: string | H | undefined, names: readonly [string, string], key: string): H => {
      if (setting === undefined || setting === names[0]) return builtIn('fail') as H;
      if (setting === names[1]) return builtIn('continue') as H;
      if (typeof setting === 'function') return setting;
      throw new ConfigError(
        `${key} is ${JSON.stringify(setting)}; use '${names[0]}', '${names[1]}' or a function`,
      );
    };
    this.deserialization = pick(
      settings.deserialization,
      ['logAndFail', 'logAndContinue'],
      'deserialization.exception.handler',
    );
    this.processing = pick(
      settings.processing,
      ['logAndFail', 'logAndContinue'],
      'processing.exception.handler',
    );
    this.production = pick(settings.production, ['fail', 'continue'], 'production.exception.handler');
    this.log = settings.log ?? ((message) => console.warn(message));
  }

  /** Whether `error` is one this task already failed with (handled once, at the node that threw it). */
  isFailure(error: unknown): boolean {
    return error === this.failure && error !== undefined;
  }

  /** Mark `error` as final (it stops the task and no other handler sees it) and return it, to be thrown. */
  fail<E>(error: E): E {
    this.failure = error;
    return error;
  }

  /**
   * A source could not deserialize `raw`. Returns when the record is to be skipped; throws `failure` (which
   * names the record) when the handler says fail.
   */
  onDeserializationError(
    sourceName: string,
    raw: ConsumerRecord,
    cause: unknown,
    failure: StreamsError,
  ): void {
    const context = this.context(sourceName, raw, raw.timestamp);
    const response = this.ask('deserialization', () => this.deserialization(context, raw, cause), context);
    this.settle('deserialization', response, context, cause, failure);
  }

  /**
   * A processor (or a punctuator, `record` undefined) threw `error`. Returns to continue; throws to fail.
   * `metadata` is the input record being processed, if any.
   */
  onProcessingError(
    nodeName: string,
    record: Record<unknown, unknown> | undefined,
    error: unknown,
    metadata: ConsumerRecord | undefined,
    timestamp: number,
  ): void {
    const context = this.context(nodeName, metadata, timestamp);
    const response = this.ask('processing', () => this.processing(context, record, error), context);
    const phase = record === undefined ? 'punctuate' : 'process';
    const failure = new FailedProcessingError(
      `Exception caught in ${phase}: ${this.taskName}, processor '${nodeName}'${where(context)}: ${messageOf(error)}`,
      { cause: error },
    );
    this.settle('processing', response, context, error, failure, record === undefined);
  }

  /** A sink could not serialize (`origin` set) or send a record. Returns to continue; throws to fail. */
  onProductionError(
    nodeName: string,
    record: Parameters<ProductionExceptionHandler>[1],
    error: unknown,
    origin: 'key' | 'value' | undefined,
    metadata: ConsumerRecord | undefined,
    timestamp: number,
    failure: StreamsError,
  ): void {
    const context = this.context(nodeName, metadata, timestamp);
    const response = this.ask('production', () => this.production(context, record, error, origin), context);
    this.settle('production', response, context, error, failure);
  }

  private context(
    nodeName: string,
    metadata: ConsumerRecord | undefined,
    timestamp: number,
  ): ErrorHandlerContext {
    return {
      taskId: this.taskId,
      processorNodeId: nodeName,
      topic: metadata?.topic,
      partition: metadata?.partition ?? -1,
      offset: metadata?.offset ?? -1,
      timestamp,
      headers: metadata?.headers ?? EMPTY_HEADERS,
      sourceRawKey: metadata?.key ?? null,
      sourceRawValue: metadata?.value ?? null,
    };
  }

  /** Calls a handler; a handler that throws (or answers nonsense) fails the task, naming the handler. */
  private ask(
    kind: Kind,
    call: () => ExceptionHandlerResponse,
    context: ErrorHandlerContext,
  ): { result: 'continue' | 'fail'; records: readonly ProducerRecord[] } {
    let response: ExceptionHandlerResponse;
    try {
      response = call();
    } catch (error) {
      throw this.fail(
        new FailedProcessingError(
          `The ${kind} exception handler threw while handling an error of ${this.taskName}, processor ` +
            `'${context.processorNodeId}'${where(context)}: ${messageOf(error)}; a handler must return 'continue' or 'fail'`,
          { cause: error },
        ),
      );
    }
    if (response === 'continue' || response === 'fail') return { result: response, records: [] };
    if (
      typeof response === 'object' &&
      response !== null &&
      (response.result === 'continue' || response.result === 'fail')
    ) {
      return { result: response.result, records: response.deadLetterQueueRecords ?? [] };
    }
    throw this.fail(
      new FailedProcessingError(
        `The ${kind} exception handler returned ${JSON.stringify(response)} for an error of ${this.taskName}, ` +
          `processor '${context.processorNodeId}'${where(context)}; return 'continue', 'fail' or ` +
          "{ result: 'continue' | 'fail', deadLetterQueueRecords }",
      ),
    );
  }

  /**
   * Writes the dead-letter queue records (a failed write fails the task: the record must not be lost), then
   * throws `failure` or counts and logs the skipped record.
   */
  private settle(
    kind: Kind,
    response: { result: 'continue' | 'fail'; records: readonly ProducerRecord[] },
    context: ErrorHandlerContext,
    error: unknown,
    failure: StreamsError,
    punctuation = false,
  ): void {
    for (const record of response.records) {
      try {
        this.collector.sendDeadLetter(record);
      } catch (sendError) {
        throw this.fail(
          new FailedProcessingError(
            `${this.taskName} could not write a record to the dead-letter queue topic '${record.topic}' after a ` +
              `${kind} error at processor '${context.processorNodeId}'${where(context)}: ${messageOf(sendError)}; ` +
              'the task stops rather than lose the record: check that the topic exists and the producer may write to it',
            { cause: sendError },
          ),
        );
      }
    }
    if (response.result === 'fail') throw this.fail(failure);
    if (kind === 'deserialization') this.deserializationErrors++;
    else if (kind === 'processing') this.processingErrors++;
    else this.productionErrors++;
    if (!punctuation) this.skippedRecords++;
    const dlq =
      response.records.length > 0 ? `; written to dead-letter queue '${response.records[0]!.topic}'` : '';
    this.log(
      `${this.taskName}: ${punctuation ? 'a punctuator failed' : 'skipped a record'} at processor ` +
        `'${context.processorNodeId}'${where(context)}: the ${kind} exception handler chose to continue after ` +
        `${errorName(error)}: ${messageOf(error)}${dlq}`,
    );
  }
}

function where(context: ErrorHandlerContext): string {
  return context.topic === undefined
    ? ''
    : `, topic '${context.topic}' partition ${context.partition} offset ${context.offset}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name || error.constructor.name : typeof error;
}
