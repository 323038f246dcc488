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
 * - exactly-once: abort when librdkafka says the transaction requires it (and the producer is usable);
 *   otherwise — fatal, fenced, or a commit whose outcome is unknown — replace the producer: its successor's
 *   `initTransactions` settles the old transaction one way or the other. Never abort after a commit whose
 *   outcome is unknown.
 * - at-least-once: keep the producer unless it failed fatally.
 */
export interface Recovery {
  readonly producer: 'keep' | 'abort' | 'replace';
  readonly tasksMoved: boolean;
}

export function recoveryFor(error: unknown, exactlyOnce: boolean): Recovery | undefined {
  if (!(error instanceof KafkaClientError)) return undefined;
  const { fatal, txnRequiresAbort, migrated } = error.info;
  const producer = exactlyOnce
    ? txnRequiresAbort && !fatal && !migrated
      ? 'abort'
      : 'replace'
    : fatal
      ? 'replace'
      : 'keep';
  return { producer, tasksMoved: migrated };
}

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

  /** Exactly-once: opens a transaction unless one is open. */
  async begin(): Promise<void> {
    if (!this.exactlyOnce || this.current === 'in_transaction') return;
    this.require('begin a transaction', 'idle');
    try {
      await this.producer!.beginTransaction();
    } catch (error) {
      this.transition('failed');
      throw error;
    }
    this.transition('in_transaction');
  }

  /** Runs steps 1–5 over `participants`; on failure the protocol is `failed` and the error is thrown. */
  async commit(participants: readonly CommitParticipant[], consumer: ConsumerClient): Promise<void> {
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
        if (error instanceof KafkaClientError && error.info.retriable && attempt < this.commitRetries)
          continue;
        throw error;
      }
    }
  }

  /**
   * Applies the recovery policy for `error` to the producer (abort the transaction, or replace the producer)
   * and returns it; the caller then closes the tasks dirty and restarts them from the committed offsets (or
   * rejoins when they moved). Throws `error` when it is not a client failure; throws when the producer cannot
   * be replaced.
   */
  async recover(error: unknown): Promise<Recovery> {
    const recovery = recoveryFor(error, this.exactlyOnce);
    if (recovery === undefined) throw error;
    this.transition('failed');
    if (recovery.producer === 'abort') await this.abortOrReplace();
    else if (recovery.producer === 'replace') await this.replaceProducer();
    else this.transition('idle');
    return recovery;
  }

  /** Exactly-once: aborts an open transaction (after a lost assignment); replaces the producer if that fails. */
  async abortIfOpen(): Promise<void> {
    if (this.current === 'in_transaction' || this.current === 'failed') await this.abortOrReplace();
  }

  private async abortOrReplace(): Promise<void> {
    if (!this.exactlyOnce) {
      this.transition('idle');
      return;
    }
    try {
      await this.producer!.abortTransaction();
      this.transition('idle');
    } catch {
      await this.replaceProducer();
    }
  }

  private async replaceProducer(): Promise<void> {
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
    this.transition('idle');
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
