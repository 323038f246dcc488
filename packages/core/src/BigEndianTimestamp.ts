/**
 * Reads and writes a millisecond timestamp as a signed 64-bit big-endian integer (the layout of window and
 * session store keys) without going through `BigInt`: the high 32 bits and the low 32 bits are written as
 * plain numbers. The bytes and the numbers read back are exactly those of `writeBigInt64BE(BigInt(ms))` /
 * `Number(readBigInt64BE())`; values that are not safe integers take that path (and so fail the same way).
 */
export const BigEndianTimestamp = {
  SIZE: 8,

  write(out: Buffer, offset: number, ms: number): void {
    if (!Number.isSafeInteger(ms)) {
      out.writeBigInt64BE(BigInt(ms), offset);
      return;
    }
    const hi = Math.floor(ms / 4294967296);
    const lo = ms - hi * 4294967296;
    out[offset] = hi >>> 24;
    out[offset + 1] = hi >>> 16;
    out[offset + 2] = hi >>> 8;
    out[offset + 3] = hi;
    out[offset + 4] = lo >>> 24;
    out[offset + 5] = lo >>> 16;
    out[offset + 6] = lo >>> 8;
    out[offset + 7] = lo;
  },

  /** The 8-character `latin1` string of the timestamp's bytes (a map-key suffix, see OrderedBytesMap). */
  latin1(ms: number): string {
    BigEndianTimestamp.write(scratch, 0, ms);
    return scratch.toString('latin1');
  },

  /** The timestamp at `offset`; the caller has checked that 8 bytes are there. */
  read(binary: Buffer, offset: number): number {
    const hi =
      (binary[offset]! << 24) |
      (binary[offset + 1]! << 16) |
      (binary[offset + 2]! << 8) |
      binary[offset + 3]!;
    const lo =
      binary[offset + 4]! * 16777216 +
      ((binary[offset + 5]! << 16) | (binary[offset + 6]! << 8) | binary[offset + 7]!);
    // hi * 2^32 is exact and the sum is rounded once, exactly as Number() of the 64-bit integer.
    return hi * 4294967296 + lo;
  },
} as const;

/** Where `latin1()` writes the bytes it converts (the string is a copy). */
const scratch = Buffer.alloc(8);
