import { AvroSerdes, type SchemaRegistryClient } from '@tributary/avro';
import type { Serde } from '@tributary/streams';
import type { Transaction } from './Transaction.js';
import { transactionSerde } from './transactionSerde.js';

/** The Avro schema of a transaction (registered under `<topic>-value`). */
export const TRANSACTION_SCHEMA = {
  type: 'record',
  name: 'Transaction',
  namespace: 'tributary.examples.fraud',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'card', type: 'string' },
    { name: 'merchant', type: 'string' },
    { name: 'category', type: 'string' },
    { name: 'country', type: 'string', doc: 'ISO 3166 alpha-2' },
    { name: 'amount', type: 'double', doc: 'US dollars' },
    { name: 'timestamp', type: 'long', doc: 'event time, epoch ms' },
  ],
} as const;

/**
 * Transactions in Avro with a schema registry (Confluent wire format: magic byte, schema id, body), checked as
 * `transactionSerde` checks them. Writers register the schema on first use; readers fetch writer schemas by id
 * (the stream thread awaits `prepare` once per batch, so `deserialize` stays synchronous).
 */
export function avroTransactionSerde(registry: SchemaRegistryClient): Serde<Transaction> {
  const avro: Serde<Transaction> = AvroSerdes.value(TRANSACTION_SCHEMA, { registry });
  return transactionSerde(avro as Serde<unknown>);
}
