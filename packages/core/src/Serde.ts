import type { Headers } from './Headers.js';

/**
 * Turns values of type T into bytes and back. `null` never reaches a serde: the framework maps a null
 * key or value (a tombstone) to null bytes and back itself.
 */
export interface Serde<T> {
  /** A short name for error messages and `describe()`, e.g. `String`, `Json`. */
  readonly name: string;
  serialize(topic: string, data: T, headers?: Headers): Buffer;
  deserialize(topic: string, data: Buffer, headers?: Headers): T;
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
