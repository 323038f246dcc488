import { createHash } from 'node:crypto';
import type { Serde } from '@tributary/core';

/** What a left-table change asks of the right side (Kafka Streams' SubscriptionWrapper.Instruction). */
export const Instruction = {
  DELETE_KEY_NO_PROPAGATE: 0,
  DELETE_KEY_AND_PROPAGATE: 1,
  PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE: 2,
  PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE: 3,
} as const;
export type Instruction = (typeof Instruction)[keyof typeof Instruction];

/** A subscription of left key `primaryKey` to a foreign key, with the hash of the left value that sent it. */
export interface SubscriptionWrapper<K> {
  readonly hash: Buffer | null;
  readonly instruction: Instruction;
  readonly primaryKey: K;
  /** Timestamp of the left record that subscribed (kept in the subscription store). */
  readonly timestamp: number;
}

/** The right value (or null) sent back to the left key, with the hash of the left value it answers. */
export interface SubscriptionResponseWrapper<VO> {
  readonly hash: Buffer | null;
  readonly foreignValue: VO | null;
}

/** 16-byte hash of a serialized left value: a response whose hash differs from the current value's is stale. */
export function valueHash(bytes: Buffer): Buffer {
  return createHash('md5').update(bytes).digest();
}

/** `[4-byte foreign key length][foreign key][primary key]`: all subscriptions of a foreign key share the prefix. */
export function combinedKey(foreignKey: Buffer, primaryKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + foreignKey.length + primaryKey.length);
  out.writeInt32BE(foreignKey.length, 0);
  foreignKey.copy(out, 4);
  primaryKey.copy(out, 4 + foreignKey.length);
  return out;
}

/** The prefix of every combined key of `foreignKey`. */
export function combinedKeyPrefix(foreignKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + foreignKey.length);
  out.writeInt32BE(foreignKey.length, 0);
  foreignKey.copy(out, 4);
  return out;
}

function writeHash(hash: Buffer | null, out: Buffer, at: number): void {
  out[at] = hash === null ? 0 : 1;
  if (hash !== null) hash.copy(out, at + 1);
}

function readHash(data: Buffer, at: number): Buffer | null {
  return data[at] === 1 ? Buffer.from(data.subarray(at + 1, at + 17)) : null;
}

/** `[version 0][instruction][hash flag + 16 bytes][8-byte timestamp][primary key]`. */
export function subscriptionWrapperSerde<K>(primaryKeySerde: Serde<K>): Serde<SubscriptionWrapper<K>> {
  return {
    name: `SubscriptionWrapper<${primaryKeySerde.name}>`,
    serialize(topic, data) {
      const key = primaryKeySerde.serialize(topic, data.primaryKey);
      const out = Buffer.alloc(27 + key.length);
      out[0] = 0;
      out[1] = data.instruction;
      writeHash(data.hash, out, 2);
      out.writeBigInt64BE(BigInt(data.timestamp), 19);
      key.copy(out, 27);
      return out;
    },
    deserialize(topic, data) {
      return {
        instruction: data[1] as Instruction,
        hash: readHash(data, 2),
        timestamp: Number(data.readBigInt64BE(19)),
        primaryKey: primaryKeySerde.deserialize(topic, data.subarray(27)),
      };
    },
  };
}

/** `[version 0][hash flag + 16 bytes][value flag][foreign value]`. */
export function subscriptionResponseWrapperSerde<VO>(
  foreignValueSerde: Serde<VO>,
): Serde<SubscriptionResponseWrapper<VO>> {
  return {
    name: `SubscriptionResponseWrapper<${foreignValueSerde.name}>`,
    serialize(topic, data) {
      const value = data.foreignValue === null ? null : foreignValueSerde.serialize(topic, data.foreignValue);
      const out = Buffer.alloc(19 + (value?.length ?? 0));
      writeHash(data.hash, out, 1);
      out[18] = value === null ? 0 : 1;
      value?.copy(out, 19);
      return out;
    },
    deserialize(topic, data) {
      return {
        hash: readHash(data, 1),
        foreignValue: data[18] === 1 ? foreignValueSerde.deserialize(topic, data.subarray(19)) : null,
      };
    },
  };
}
