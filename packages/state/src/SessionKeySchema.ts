import { SerializationError } from '@tributary/core';
import { BigEndianTimestamp } from './internal/BigEndianTimestamp.js';

/**
 * The binary layout of session store keys in changelogs (and RocksDB), as in Kafka Streams: the record key's
 * bytes, then the session end and the session start, 8 bytes big-endian each.
 */
export const SessionKeySchema = {
  toBinary(key: Buffer, sessionStart: number, sessionEnd: number): Buffer {
    const length = key.length;
    const out = Buffer.allocUnsafe(length + 16);
    out.set(key, 0);
    BigEndianTimestamp.write(out, length, sessionEnd);
    BigEndianTimestamp.write(out, length + 8, sessionStart);
    return out;
  },

  extractKey(binary: Buffer): Buffer {
    return binary.subarray(0, checked(binary) - 16);
  },

  extractEnd(binary: Buffer): number {
    return BigEndianTimestamp.read(binary, checked(binary) - 16);
  },

  extractStart(binary: Buffer): number {
    return BigEndianTimestamp.read(binary, checked(binary) - 8);
  },
} as const;

function checked(binary: Buffer): number {
  if (binary.length < 16) {
    throw new SerializationError(
      `A session store key needs at least 16 bytes (key + 8-byte end + 8-byte start) but got ${binary.length}; ` +
        'the changelog holds records of a different store layout',
    );
  }
  return binary.length;
}
