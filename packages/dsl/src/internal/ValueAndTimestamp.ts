import { BigEndianTimestamp, type Serde, Serdes, SerializationError } from '@tributary/core';

/**
 * What windowed aggregations keep per window: the aggregate and the largest timestamp of the records in it
 * (the timestamp of the window's result records, as in Kafka Streams' timestamped stores).
 */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

const INT64 = Serdes.Int64() as Serde<unknown>;

/**
 * Kafka Streams' layout: the 8-byte big-endian timestamp, then the value's bytes. With the Int64 serde (every
 * count) the 16 bytes are written and read in place: one Buffer per write, no view per read. Values that
 * serde would reject take the general path, so they fail exactly as before.
 */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  const int64 = (inner as Serde<unknown>) === INT64;
  return {
    name: `ValueAndTimestamp<${inner.name}>`,
    // The inner serde's prepare hook (e.g. Avro schema ids) sees the values' own bytes, after the timestamp.
    prepare:
      inner.prepare === undefined
        ? undefined
        : (request) =>
            request.mode === 'write'
              ? inner.prepare!(request)
              : inner.prepare!({
                  ...request,
                  isKey: false,
                  records: request.records.flatMap((r) => {
                    const data = request.isKey ? r.key : r.value;
                    return r.topic === request.topic && data !== null && data.length > 8
                      ? [{ topic: r.topic, key: null, value: data.subarray(8) }]
                      : [];
                  }),
                }),
    serialize(topic, data) {
      if (int64 && Number.isSafeInteger(data.value)) {
        const out = Buffer.allocUnsafe(16);
        BigEndianTimestamp.write(out, 0, data.timestamp);
        BigEndianTimestamp.write(out, 8, data.value as number);
        return out;
      }
      const value = inner.serialize(topic, data.value);
      const out = Buffer.allocUnsafe(value.length + 8);
      BigEndianTimestamp.write(out, 0, data.timestamp);
      value.copy(out, 8);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 8) {
        throw new SerializationError(
          `ValueAndTimestamp serde on topic '${topic}' got ${data.length} bytes; needs at least 8`,
        );
      }
      if (int64 && data.length === 16) {
        const value = BigEndianTimestamp.read(data, 8);
        if (Number.isSafeInteger(value)) {
          return { value: value as V, timestamp: BigEndianTimestamp.read(data, 0) };
        }
      }
      return {
        value: inner.deserialize(topic, data.subarray(8)),
        timestamp: BigEndianTimestamp.read(data, 0),
      };
    },
  };
}
