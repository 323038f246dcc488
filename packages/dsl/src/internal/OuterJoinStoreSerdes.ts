import { type Serde, SerializationError } from '@tributary/core';

/** Key of the shared outer-join store: timestamp, side, key; serialized so that byte order is that order. */
export interface TimestampedKeyAndJoinSide<K> {
  readonly timestamp: number;
  readonly leftSide: boolean;
  readonly key: K;
}

/** One unmatched record waiting in the outer-join store: exactly one of the two values is set. */
export interface LeftOrRightValue<V1, V2> {
  readonly left: V1 | null;
  readonly right: V2 | null;
}

/**
 * `[8-byte big-endian timestamp][1 byte: 1 = left, 0 = right][key bytes]`, as Kafka Streams lays it out: the
 * store iterates in timestamp order, right before left at equal timestamps.
 */
export function timestampedKeyAndJoinSideSerde<K>(keySerde: Serde<K>): Serde<TimestampedKeyAndJoinSide<K>> {
  return {
    name: `TimestampedKeyAndJoinSide<${keySerde.name}>`,
    serialize(topic, data) {
      const key = keySerde.serialize(topic, data.key);
      const out = Buffer.allocUnsafe(9 + key.length);
      out.writeBigInt64BE(BigInt(data.timestamp), 0);
      out[8] = data.leftSide ? 1 : 0;
      key.copy(out, 9);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 9) {
        throw new SerializationError(
          `outer-join store key on '${topic}' has ${data.length} bytes; needs at least 9`,
        );
      }
      return {
        timestamp: Number(data.readBigInt64BE(0)),
        leftSide: data[8] === 1,
        key: keySerde.deserialize(topic, data.subarray(9)),
      };
    },
  };
}

/** A list of left-or-right values: `[count][per value: side byte, 4-byte length, bytes]`. */
export function leftOrRightValueListSerde<V1, V2>(
  leftSerde: Serde<V1>,
  rightSerde: Serde<V2>,
): Serde<LeftOrRightValue<V1, V2>[]> {
  return {
    name: `LeftOrRightValueList<${leftSerde.name}, ${rightSerde.name}>`,
    serialize(topic, list) {
      const parts: Buffer[] = [];
      let size = 4;
      for (const item of list) {
        const bytes =
          item.left !== null
            ? leftSerde.serialize(topic, item.left)
            : rightSerde.serialize(topic, item.right as V2);
        parts.push(bytes);
        size += 5 + bytes.length;
      }
      const out = Buffer.allocUnsafe(size);
      out.writeInt32BE(list.length, 0);
      let at = 4;
      for (let i = 0; i < list.length; i++) {
        const bytes = parts[i]!;
        out[at] = list[i]!.left !== null ? 1 : 0;
        out.writeInt32BE(bytes.length, at + 1);
        bytes.copy(out, at + 5);
        at += 5 + bytes.length;
      }
      return out;
    },
    deserialize(topic, data) {
      const count = data.readInt32BE(0);
      const list: LeftOrRightValue<V1, V2>[] = [];
      let at = 4;
      for (let i = 0; i < count; i++) {
        const isLeft = data[at] === 1;
        const length = data.readInt32BE(at + 1);
        const bytes = data.subarray(at + 5, at + 5 + length);
        list.push(
          isLeft
            ? { left: leftSerde.deserialize(topic, bytes), right: null }
            : { left: null, right: rightSerde.deserialize(topic, bytes) },
        );
        at += 5 + length;
      }
      return list;
    },
  };
}
