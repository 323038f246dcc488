import { type Serde, SerializationError } from '@tributary/core';

/** One buffered key of a suppress: when it is due, the latest update (and its timestamp), the value before the first update. */
export interface SuppressBufferValue<V> {
  /** Buffer time: the window end (untilWindowCloses) or the first update's timestamp (untilTimeLimit). */
  readonly bufferTime: number;
  /** Timestamp of the latest update: the timestamp of the emitted record. */
  readonly timestamp: number;
  readonly newValue: V | null;
  /** The table's value before the first buffered update: the old value of the emitted change. */
  readonly priorValue: V | null;
}

/** Layout: buffer time (8 bytes), timestamp (8), then new and prior value, each as a 4-byte length (-1 = null) and bytes. */
export function suppressBufferValueSerde<V>(inner: Serde<V>): Serde<SuppressBufferValue<V>> {
  return {
    name: `SuppressBufferValue<${inner.name}>`,
    serialize(topic, data) {
      const next = data.newValue === null ? null : inner.serialize(topic, data.newValue);
      const prior = data.priorValue === null ? null : inner.serialize(topic, data.priorValue);
      const out = Buffer.allocUnsafe(24 + (next?.length ?? 0) + (prior?.length ?? 0));
      out.writeBigInt64BE(BigInt(data.bufferTime), 0);
      out.writeBigInt64BE(BigInt(data.timestamp), 8);
      let at = 16;
      for (const part of [next, prior]) {
        out.writeInt32BE(part === null ? -1 : part.length, at);
        at += 4;
        if (part !== null) at += part.copy(out, at);
      }
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 24) {
        throw new SerializationError(
          `Suppress buffer value on topic '${topic}' got ${data.length} bytes; needs at least 24`,
        );
      }
      let at = 16;
      const part = (): V | null => {
        const length = data.readInt32BE(at);
        at += 4;
        if (length < 0) return null;
        const value = inner.deserialize(topic, data.subarray(at, at + length));
        at += length;
        return value;
      };
      const newValue = part();
      const priorValue = part();
      return {
        bufferTime: Number(data.readBigInt64BE(0)),
        timestamp: Number(data.readBigInt64BE(8)),
        newValue,
        priorValue,
      };
    },
  };
}
