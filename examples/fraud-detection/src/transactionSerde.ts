import { type Serde, SerializationError } from '@tributary/streams';
import { COUNTRIES } from './Countries.js';
import type { Transaction } from './Transaction.js';

/**
 * The JSON value serde of `transactions`, checking what it reads: a record that is not JSON, or lacks a field,
 * or has an amount that is not a positive number or an unknown country, fails with a SerializationError, so the
 * deserialization exception handler sends it to the dead-letter queue instead of a rule failing on it later.
 */
export function transactionSerde(): Serde<Transaction> {
  return {
    name: 'Transaction (JSON)',
    serialize: (_topic, tx) => Buffer.from(JSON.stringify(tx)),
    deserialize: (topic, data) => {
      let value: unknown;
      try {
        value = JSON.parse(data.toString('utf8'));
      } catch {
        throw new SerializationError(`${topic}: a transaction of ${data.length} bytes is not JSON`);
      }
      const problem = checkTransaction(value);
      if (problem) throw new SerializationError(`${topic}: not a transaction: ${problem}`);
      return value as Transaction;
    },
  };
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
