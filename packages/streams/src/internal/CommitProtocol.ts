import { IllegalStateError } from '@tributary/core';
import {
  type ClientConfig,
  type ConsumerClient,
  KafkaClientError,
  type KafkaClientSupplier,
  type ProducerClient,
  type TopicPartitionOffset,
} from '@tributary/kafka';
import type { KafkaRecordProducer } from './KafkaRecordProducer.js';

/**
 * - `idle`: no transaction open (always, at-least-once);
 * - `in_transaction`: exactly-once, a transaction is open and records may be sent in it;
 * - `committing`: a commit is under way;
 * - `failed`: a commit or transaction call failed; `recover` must run before the next `begin`/`commit`;
 * - `closed`.
 */
export type CommitState = 'idle' | 'in_transaction' | 'committing' | 'failed' | 'closed';

/** What a task contributes to a commit: step 1 (flush, offsets) and step 5 (after the Kafka commit). */
export interface CommitParticipant {
  prepareCommit(): readonly TopicPartitionOffset[];
  postCommit(): void;
}

/**
 * The recovery policy: what to do with the producer after `error`, and whether the tasks moved to another
 * member. `undefined` when the error is not a client failure (a bug or a processing error): the thread dies.
 * - exactly-once: replace the producer when it failed fatally (fenced, too), or a commit's outcome is unknown
 *   (`commitTransaction` failed and retrying did not settle it): its successor's `initTransactions` settles the
 *   old transaction one way or the other — never abort after a commit whose outcome is unknown. Otherwise abort
 *   the open transaction (librdkafka allows it after any non-fatal error, and requires it after some).
 * - at-least-once: keep the producer unless it failed fatally.
 */
export interface Recovery {
  readonly producer: 'keep' | 'abort' | 'replace';
  readonly tasksMoved: boolean;
}

export function recoveryFor(
  error: unknown,
  exactlyOnce: boolean,
  commitOutcomeUnknown = false,
): Recovery | undefined {
  if (!(error instanceof KafkaClientError)) return undefined;
  const { fatal, migrated } = error.info;
  const producer = exactlyOnce
    ? fatal || commitOutcomeUnknown
      ? 'replace'
      : 'abort'
    : fatal
      ? 'replace'
      : 'keep';
  return { producer, tasksMoved: migrated };
}

const DEBUG = process.env.TRIBUTARY_DEBUG === '1';

const TRANSITIONS: Readonly<Record<CommitState, readonly CommitState[]>> = {
  idle: ['in_transaction', 'committing', 'failed', 'closed'],
  in_transaction: ['committing', 'failed', 'idle', 'closed'],
  committing: ['idle', 'failed', 'closed'],
  failed: ['idle', 'failed', 'closed'],
  closed: [],
};

/**
 * A stream thread's commit protocol and its producer (transactional under exactly_once_v2, one per thread).
 * The steps of `commit`:
 * 1. flush stores: caches send their results downstream, change-logging stores their changelog records
 *    (changelog records go through the same collector, so step 2 is part of this one);
 * 3. flush the producer: every send acknowledged (at-least-once), or its failure surfaced before committing;
 * 4. at-least-once: commit the consumer offsets. exactly-once: send the offsets to the transaction with the
 *    consumer's group metadata (which fences zombies), then commit the transaction, retrying a retriable failure;
 * 5. tell the tasks the commit happened (persistent stores write their data and checkpoint).
 * A failure leaves the protocol `failed`; `recover` applies the recovery policy to the producer.
 */
export class CommitProtocol {
  private current: CommitState = 'idle';
  private producer: ProducerClient | undefined;
  private commits = 0;
  /** `commitTransaction` failed for good: whether it committed is unknown until a new producer initialises. */
  private outcomeUnknown = false;
  /** What `recover` still has to do to the producer (it failed, e.g. while the brokers were unreachable). */
  private pending: 'abort' | 'replace' | undefined;

  constructor(
    private readonly name: string,
    private readonly exactlyOnce: boolean,
    private readonly supplier: KafkaClientSupplier,
    private readonly producerConfig: ClientConfig,
    private readonly records: KafkaRecordProducer,
    private readonly commitRetries = 5,
  ) {}

  get state(): CommitState {
    return this.current;
  }

  get commitCount(): number {
    return this.commits;
  }

  /** Creates the producer (and, under exactly-once, initialises its transactions). */
  async start(): Promise<void> {
    await this.replaceProducer();
  }

  /** A recovery is under way (the producer still has to be aborted or replaced). */
  get recovering(): boolean {
    return this.current === 'failed';
  }

  /** Exactly-once: opens a transaction unless one is open (finishing a recovery left undone first). */
  async begin(): Promise<void> {
    await this.finishRecovery();
    if (!this.exactlyOnce || this.current === 'in_transaction') return;
    this.require('begin a transaction', 'idle');
    await this.producer!.beginTransaction(); // failing, it leaves no transaction open: still idle
    this.transition('in_transaction');
  }

  /** Runs steps 1–5 over `participants`; on failure the protocol is `failed` and the error is thrown. */
  async commit(participants: readonly CommitParticipant[], consumer: ConsumerClient): Promise<void> {
    await this.finishRecovery();
    this.require('commit', 'idle', 'in_transaction');
    const wasInTransaction = this.current === 'in_transaction';
    this.transition('committing');
    try {
      const offsets = participants.flatMap((p) => p.prepareCommit());
      await this.records.flush();
      if (this.exactlyOnce) {
        if (!wasInTransaction) await this.producer!.beginTransaction();
        await this.producer!.sendOffsetsToTransaction(offsets, consumer);
        await this.commitTransaction();
      } else {
        await consumer.commit(offsets);
      }
    } catch (error) {
      this.transition('failed');
      throw error;
    }
    this.transition('idle');
    for (const p of participants) p.postCommit();
    this.commits++;
  }

  private async commitTransaction(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.producer!.commitTransaction();
        return;
      } catch (error) {
        const info = error instanceof KafkaClientError ? error.info : undefined;
        if (info?.retriable && attempt < this.commitRetries) continue;
        // librdkafka says abort: the transaction did not commit. Anything else: we cannot know.
        this.outcomeUnknown = !info?.txnRequiresAbort;
        throw error;
      }
    }
  }

  /**
   * Applies the recovery policy for `error` to the producer (abort the transaction, or replace the producer)
   * and returns it; the caller then closes the tasks dirty and restarts them from the committed offsets (or
   * rejoins when they moved). Throws `error` when it is not a client failure. When the abort or replacement
   * fails (the brokers are unreachable), the protocol stays `failed` and `begin`/`commit` finish it later.
   */
  async recover(error: unknown): Promise<Recovery> {
    const recovery = recoveryFor(error, this.exactlyOnce, this.outcomeUnknown);
    if (recovery === undefined) throw error;
    const transactionOpen = this.current !== 'idle';
    this.transition('failed');
    if (recovery.producer === 'replace') this.pending = 'replace';
    else if (recovery.producer === 'abort' && transactionOpen) this.pending ??= 'abort';
    await this.finishRecovery();
    return recovery;
  }

  /** Exactly-once: aborts an open transaction (after a lost assignment); replaces the producer if that fails. */
  async abortIfOpen(): Promise<void> {
    if (this.current === 'in_transaction') {
      this.transition('failed');
      this.pending = 'abort';
    }
    await this.finishRecovery();
  }

  /** Does what the last recovery left to do to the producer; `failed` → `idle` once done. */
  private async finishRecovery(): Promise<void> {
    if (this.current !== 'failed') return;
    let replace = this.pending === 'replace' || this.producer === undefined;
    if (this.pending === 'abort' && this.exactlyOnce && !replace) {
      try {
        if (DEBUG) console.error(`[${this.name}] aborting the transaction`);
        await this.producer!.abortTransaction();
      } catch {
        // A fatal error, or no broker to abort with: a new producer settles the transaction instead.
        this.pending = 'replace';
        replace = true;
      }
    }
    if (replace) await this.replaceProducer();
    this.pending = undefined;
    this.outcomeUnknown = false;
    this.transition('idle');
  }

  private async replaceProducer(): Promise<void> {
    if (DEBUG) console.error(`[${this.name}] replacing the producer`);
    const old = this.producer;
    this.producer = undefined;
    if (old) await old.close().catch(() => undefined);
    const producer = await this.supplier.producer(this.producerConfig);
    try {
      if (this.exactlyOnce) await producer.initTransactions();
    } catch (error) {
      await producer.close().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    this.records.replace(producer);
  }

  /**
   * Aborts an open transaction and closes the producer; both are tried. Returns the first failure (a
   * transaction left open is aborted by the broker after `transaction.timeout.ms`, or by our successor).
   */
  async close(): Promise<unknown> {
    let failure: unknown;
    if (
      this.exactlyOnce &&
      (this.current === 'in_transaction' || this.current === 'failed') &&
      this.producer
    ) {
      await this.producer.abortTransaction().catch((e) => {
        failure ??= e;
      });
    }
    await this.producer?.close().catch((e) => {
      failure ??= e;
    });
    this.producer = undefined;
    if (this.current !== 'closed') this.transition('closed');
    return failure;
  }

  private require(action: string, ...states: CommitState[]): void {
    if (!states.includes(this.current)) {
      throw new IllegalStateError(
        `${this.name}: cannot ${action} while the commit protocol is ${this.current} (expected ${states.join(' or ')})`,
      );
    }
  }

  private transition(to: CommitState): void {
    if (to === this.current && to !== 'failed') return;
    if (!TRANSITIONS[this.current].includes(to)) {
      throw new IllegalStateError(
        `${this.name}: the commit protocol cannot go from ${this.current} to ${to}`,
      );
    }
    this.current = to;
  }
}
