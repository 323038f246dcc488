import { type Logger, StreamsError } from '@tributary/core';
import { KafkaClientError } from '@tributary/kafka';

/** Whether `error` says the cluster could not be reached in time (worth waiting out). */
export function isUnreachable(error: unknown): error is KafkaClientError {
  return error instanceof KafkaClientError && error.info.unreachable === true && !error.info.fatal;
}

/**
 * A stream thread's view of a broker outage, as Kafka Streams' `task.timeout.ms`: client calls that fail because
 * the cluster cannot be reached are retried with back-off (100 ms doubling to at most 10 s); the outage is
 * logged (warn) once when it starts and once when it ends; past `task.timeout.ms` the thread gives up with an error
 * that says since when the brokers were unreachable and what failed last.
 */
export class BrokerOutage {
  private since: number | undefined;
  private attempts = 0;
  private lastError: unknown;

  constructor(
    private readonly threadName: string,
    private readonly bootstrapServers: string,
    private readonly taskTimeoutMs: number,
    private readonly logger: Logger,
    private readonly onChange: (since: number | undefined) => void,
    private readonly maxBackoffMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** When the current outage began (epoch ms), or undefined. */
  get unreachableSince(): number | undefined {
    return this.since;
  }

  /**
   * `error` (an unreachable-cluster failure) happened: starts or continues the outage, throws when it has
   * lasted longer than task.timeout.ms, otherwise waits the back-off.
   */
  async waitOut(error: KafkaClientError): Promise<void> {
    this.begin(error);
    const now = this.now();
    const elapsed = now - this.since!;
    if (elapsed > this.taskTimeoutMs) {
      throw new StreamsError(
        `${this.threadName} gave up: the Kafka cluster (${this.bootstrapServers}) has been unreachable since ` +
          `${new Date(this.since!).toISOString()} (${Math.round(elapsed / 1000)} s, more than task.timeout.ms = ` +
          `${this.taskTimeoutMs} ms); last failure: ${error.message}. Check that the brokers run and are reachable, ` +
          'or raise task.timeout.ms to wait longer',
        { cause: error },
      );
    }
    const backoff = Math.min(100 * 2 ** this.attempts++, this.maxBackoffMs, this.taskTimeoutMs - elapsed + 1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(backoff, 0)));
  }

  /** `error` says the cluster is unreachable: the outage starts now (logged once) unless it already has. */
  begin(error: KafkaClientError): void {
    const now = this.now();
    this.lastError = error;
    if (this.since === undefined) {
      this.since = now;
      this.attempts = 0;
      this.logger.warn(
        { thread: this.threadName, bootstrap: this.bootstrapServers, since: new Date(now).toISOString() },
        `${this.threadName}: the Kafka cluster (${this.bootstrapServers}) is unreachable since ` +
          `${new Date(now).toISOString()} (${error.message}); retrying with back-off for up to task.timeout.ms ` +
          `(${this.taskTimeoutMs} ms)`,
      );
      this.onChange(now);
    }
  }

  /** A call that needs the cluster succeeded: the outage (if any) is over. */
  ended(): void {
    if (this.since === undefined) return;
    const lasted = this.now() - this.since;
    this.logger.warn(
      { thread: this.threadName, bootstrap: this.bootstrapServers, outageMs: lasted },
      `${this.threadName}: the Kafka cluster (${this.bootstrapServers}) is reachable again after ` +
        `${Math.round(lasted / 1000)} s (${this.attempts} retries; last failure: ${(this.lastError as Error)?.message})`,
    );
    this.since = undefined;
    this.attempts = 0;
    this.lastError = undefined;
    this.onChange(undefined);
  }
}
