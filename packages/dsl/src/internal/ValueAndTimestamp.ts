import { type Serde, SerializationError } from '@tributary/core';

/**
 * What windowed aggregations keep per window: the aggregate and the largest timestamp of the records in it
 * (the timestamp of the window's result records, as in Kafka Streams' timestamped stores).
 */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** Kafka Streams' layout: the 8-byte big-endian timestamp, then the value's bytes. */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  return {
    name: `ValueAndTimestamp<${inner.name}>`,
    serialize(topic, data) {
      const value = inner.serialize(topic, data.value);
      const out = Buffer.allocUnsafe(value.length + 8);
      out.writeBigInt64BE(BigInt(data.timestamp), 0);
      value.copy(out, 8);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 8) {
        throw new SerializationError(
          `ValueAndTimestamp serde on topic '${topic}' got ${data.length} bytes; needs at least 8`,
        );
      }
      return {
        value: inner.deserialize(topic, data.subarray(8)),
        timestamp: Number(data.readBigInt64BE(0)),
      };
    },
  };
}
