import { SerializationError } from '@tributary/core';
import { BigEndianTimestamp } from './internal/BigEndianTimestamp.js';

/**
 * The binary layout of window store keys in changelogs (and in RocksDB window segments), as in Kafka Streams:
 * the record key's bytes, the window start as 8 bytes big-endian, and — only in stores that retain
 * duplicates (stream-stream joins) — a 4-byte sequence number that keeps equal (key, start) pairs apart.
 */
export const WindowKeySchema = {
  TIMESTAMP_SIZE: 8,
  SEQNUM_SIZE: 4,

  toStoreKeyBinary(key: Buffer, windowStart: number, seqnum?: number): Buffer {
    const suffix = seqnum === undefined ? 8 : 12;
    const length = key.length;
    const out = Buffer.allocUnsafe(length + suffix);
    out.set(key, 0);
    BigEndianTimestamp.write(out, length, windowStart);
    if (seqnum !== undefined) out.writeInt32BE(seqnum, length + 8);
    return out;
  },

  extractKey(binary: Buffer, hasSeqnum: boolean): Buffer {
    return binary.subarray(0, binary.length - suffixLength(binary, hasSeqnum));
  },

  extractWindowStart(binary: Buffer, hasSeqnum: boolean): number {
    return BigEndianTimestamp.read(binary, binary.length - suffixLength(binary, hasSeqnum));
  },

  extractSeqnum(binary: Buffer): number {
    suffixLength(binary, true);
    return binary.readInt32BE(binary.length - 4);
  },
} as const;

function suffixLength(binary: Buffer, hasSeqnum: boolean): number {
  const suffix = hasSeqnum ? 12 : 8;
  if (binary.length < suffix) {
    throw new SerializationError(
      `A window store key needs at least ${suffix} bytes (key + 8-byte window start${hasSeqnum ? ' + 4-byte seqnum' : ''}) ` +
        `but got ${binary.length}; the changelog holds records of a different store layout`,
    );
  }
  return suffix;
}
