import { Headers, type Serde, Serdes } from '@tributary/core';
import { KafkaProducer } from '@tributary/kafka';
import type { FraudTopics } from './FraudTopics.js';
import type { Scenario } from './Scenario.js';
import type { Transaction } from './Transaction.js';
import { transactionSerde } from './transactionSerde.js';

/** Producer settings every writer of the fraud topics uses: murmur2 keeps a card's partition the same everywhere. */
const PRODUCER = { 'linger.ms': 5, partitioner: 'murmur2_random', 'enable.idempotence': true } as const;

/** Writes the merchants (GlobalKTable) and blocked cards (KTable) of a scenario, and waits for the acks. */
export async function publishReferenceData(
  servers: string,
  topics: FraudTopics,
  scenario: Scenario,
): Promise<void> {
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, ...PRODUCER });
  try {
    const json = Serdes.Json<unknown>();
    await producer.sendAll([
      ...scenario.merchants.map((m) => ({
        topic: topics.merchants,
        key: Buffer.from(m.id),
        value: json.serialize(topics.merchants, m),
        timestamp: scenario.startMs - 60_000,
        headers: new Headers(),
      })),
      ...scenario.blockedCards.map((b) => ({
        topic: topics.blockedCards,
        key: Buffer.from(b.card),
        value: json.serialize(topics.blockedCards, b),
        timestamp: b.blockedAt,
        headers: new Headers(),
      })),
    ]);
    await producer.flush();
  } finally {
    await producer.close();
  }
}

export interface PublishOptions {
  /** Transactions per second (wall clock); default: as fast as the broker takes them. */
  readonly rate?: number;
  readonly serde?: Serde<Transaction>;
  /** Called after each acknowledged batch with the count sent so far. */
  readonly onProgress?: (sent: number) => void;
  /** Stops early when it returns true (Ctrl-C). */
  readonly stopped?: () => boolean;
}

/** Writes a scenario's transactions (and malformed records) in event-time order (key: card; timestamp: the transaction's), paced to `rate`. */
export async function publishTransactions(
  servers: string,
  topics: FraudTopics,
  scenario: Scenario,
  options: PublishOptions = {},
): Promise<number> {
  const serde = options.serde ?? transactionSerde();
  // An Avro serde registers (or looks up) its schema here, so serialize() can stay synchronous.
  await serde.prepare?.({ mode: 'write', topic: topics.transactions, isKey: false, records: [] });
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, ...PRODUCER });
  const started = Date.now();
  // Transactions and malformed records in event-time order (a malformed record after the transactions of its ms).
  const all: { key: string; value: Buffer; timestamp: number }[] = [];
  let m = 0;
  const malformed = scenario.malformed;
  for (const tx of scenario.transactions) {
    while (m < malformed.length && malformed[m]!.timestamp < tx.timestamp) {
      const bad = malformed[m++]!;
      all.push({ key: bad.card, value: Buffer.from(bad.payload), timestamp: bad.timestamp });
    }
    all.push({ key: tx.card, value: serde.serialize(topics.transactions, tx), timestamp: tx.timestamp });
  }
  for (const bad of malformed.slice(m))
    all.push({ key: bad.card, value: Buffer.from(bad.payload), timestamp: bad.timestamp });
  let sent = 0;
  try {
    while (sent < all.length && !options.stopped?.()) {
      const due = options.rate
        ? Math.min(all.length, Math.floor(((Date.now() - started) / 1000) * options.rate))
        : all.length;
      const upTo = Math.min(due, sent + 2_000);
      if (upTo <= sent) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      await producer.sendAll(
        all.slice(sent, upTo).map((r) => ({
          topic: topics.transactions,
          key: Buffer.from(r.key),
          value: r.value,
          timestamp: r.timestamp,
          headers: new Headers(),
        })),
      );
      sent = upTo;
      options.onProgress?.(sent);
    }
    await producer.flush();
    return sent;
  } finally {
    await producer.close();
  }
}
