import type { Headers } from './Headers.js';
import type { ConsumerRecord } from './KafkaRecords.js';

/** The parts of a consumed record a serde's `prepare` looks at. */
export type SerializedRecord = Pick<ConsumerRecord, 'topic' | 'key' | 'value'>;

/**
 * What a batch is about to need from a serde (see `Serde.prepare`): deserializing the `isKey` part of the
 * `records` of `topic` (mode `read`; `records` may hold other topics' records too, which this serde ignores),
 * or serializing keys or values to `topic` (mode `write`; `records` empty).
 */
export interface SerdePrepareRequest {
  readonly mode: 'read' | 'write';
  readonly topic: string;
  readonly isKey: boolean;
  readonly records: readonly SerializedRecord[];
}

/**
 * Turns values of type T into bytes and back. `null` never reaches a serde: the framework maps a null
 * key or value (a tombstone) to null bytes and back itself.
 */
export interface Serde<T> {
  /** A short name for error messages and `describe()`, e.g. `String`, `Json`. */
  readonly name: string;
  serialize(topic: string, data: T, headers?: Headers): Buffer;
  deserialize(topic: string, data: Buffer, headers?: Headers): T;
  /**
   * Optional: fetch asynchronously whatever `serialize`/`deserialize` will need for a batch (e.g. schemas
   * from a registry), so that they stay synchronous. The stream thread awaits it once per poll batch for its
   * sources (`read`) and sinks (`write`), before the batch is processed; the test driver does the same in
   * `pipeRecordListAsync`. Returns undefined when nothing needs fetching, which must be the common case.
   */
  prepare?(request: SerdePrepareRequest): Promise<void> | undefined;
}

/** Serialize a possibly-null value: null stays null (a tombstone), anything else goes through the serde. */
export function serializeNullable<T>(
  serde: Serde<T>,
  topic: string,
  data: T | null,
  headers?: Headers,
): Buffer | null {
  return data === null ? null : serde.serialize(topic, data, headers);
}

/** Deserialize possibly-null bytes: null stays null, anything else goes through the serde. */
export function deserializeNullable<T>(
  serde: Serde<T>,
  topic: string,
  data: Buffer | null,
  headers?: Headers,
): T | null {
  return data === null ? null : serde.deserialize(topic, data, headers);
}
