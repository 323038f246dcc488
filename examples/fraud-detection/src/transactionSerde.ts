import { type Serde, type SerdePrepareRequest, SerializationError } from '@tributary/streams';
import { COUNTRIES } from './Countries.js';
import type { Transaction } from './Transaction.js';

/** Transactions as JSON text. */
const JSON_FORMAT: Serde<unknown> = {
  name: 'JSON',
  serialize: (_topic, value) => Buffer.from(JSON.stringify(value)),
  deserialize: (_topic, data) => JSON.parse(data.toString('utf8')),
};

/**
 * The value serde of `transactions`: writes and reads with `format` (JSON text by default; the Avro variant is
 * `avroTransactionSerde`) and checks what it reads. A record the format cannot decode, or one that lacks a
 * field, has an amount that is not a positive number or an unknown country, fails with a SerializationError,
 * so the deserialization exception handler sends it to the dead-letter queue instead of a rule failing on it.
 */
export function transactionSerde(format: Serde<unknown> = JSON_FORMAT): Serde<Transaction> {
  const serde: Serde<Transaction> = {
    name: `Transaction(${format.name})`,
    serialize: (topic, tx) => format.serialize(topic, tx),
    deserialize: (topic, data) => {
      let value: unknown;
      try {
        value = format.deserialize(topic, data);
      } catch (cause) {
        throw new SerializationError(
          `${topic}: ${data.length} bytes are not a ${format.name} transaction: ${(cause as Error).message}`,
          { cause },
        );
      }
      const problem = checkTransaction(value);
      if (problem) throw new SerializationError(`${topic}: not a transaction: ${problem}`);
      return value as Transaction;
    },
  };
  if (format.prepare) {
    const prepare = format.prepare.bind(format);
    return { ...serde, prepare: (request: SerdePrepareRequest) => prepare(request) };
  }
  return serde;
}

/** What is wrong with a decoded transaction, or undefined when nothing is. */
export function checkTransaction(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const tx = value as Record<string, unknown>;
  for (const field of ['id', 'card', 'merchant', 'category', 'country'] as const) {
    if (typeof tx[field] !== 'string' || tx[field] === '') return `'${field}' is not a non-empty string`;
  }
  if (typeof tx.amount !== 'number' || !Number.isFinite(tx.amount) || tx.amount <= 0) {
    return `'amount' is ${JSON.stringify(tx.amount)}, not a positive number`;
  }
  if (!Number.isSafeInteger(tx.timestamp))
    return `'timestamp' is ${JSON.stringify(tx.timestamp)}, not epoch ms`;
  if (!((tx.country as string) in COUNTRIES))
    return `'country' ${JSON.stringify(tx.country)} is not a known country`;
  return undefined;
}
