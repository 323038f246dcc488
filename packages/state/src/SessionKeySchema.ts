import { SerializationError } from '@tributary/core';

/**
 * The binary layout of session store keys in changelogs (and RocksDB), as in Kafka Streams: the record key's
 * bytes, then the session end and the session start, 8 bytes big-endian each.
 */
export const SessionKeySchema = {
  toBinary(key: Buffer, sessionStart: number, sessionEnd: number): Buffer {
    const out = Buffer.allocUnsafe(key.length + 16);
    key.copy(out, 0);
    out.writeBigInt64BE(BigInt(sessionEnd), key.length);
    out.writeBigInt64BE(BigInt(sessionStart), key.length + 8);
    return out;
  },

  extractKey(binary: Buffer): Buffer {
    return binary.subarray(0, checked(binary) - 16);
  },

  extractEnd(binary: Buffer): number {
    return Number(binary.readBigInt64BE(checked(binary) - 16));
  },

  extractStart(binary: Buffer): number {
    return Number(binary.readBigInt64BE(checked(binary) - 8));
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
