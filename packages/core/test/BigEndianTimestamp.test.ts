import { describe, expect, it } from 'vitest';
import { BigEndianTimestamp } from '../src/BigEndianTimestamp.js';

const values = [
  0,
  1,
  -1,
  60_000,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  -(2 ** 31) - 1,
  -(2 ** 32),
  1_700_000_000_123,
  -1_700_000_000_123,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 53,
  2 ** 60 + 2 ** 40,
  -(2 ** 62),
];

describe('BigEndianTimestamp', () => {
  it('writes the bytes of writeBigInt64BE and reads back Number(readBigInt64BE)', () => {
    for (const value of values) {
      const expected = Buffer.alloc(10);
      expected.writeBigInt64BE(BigInt(value), 1);
      const actual = Buffer.alloc(10);
      BigEndianTimestamp.write(actual, 1, value);
      expect(actual.toString('hex'), String(value)).toBe(expected.toString('hex'));
      expect(BigEndianTimestamp.read(actual, 1), String(value)).toBe(Number(expected.readBigInt64BE(1)));
    }
    const extremes = Buffer.from('7fffffffffffffff8000000000000000ffffffffffffffff', 'hex');
    for (const offset of [0, 8, 16]) {
      expect(BigEndianTimestamp.read(extremes, offset)).toBe(Number(extremes.readBigInt64BE(offset)));
    }
  });

  it('rejects a non-integer as BigInt does', () => {
    expect(() => BigEndianTimestamp.write(Buffer.alloc(8), 0, 1.5)).toThrow(RangeError);
  });
});
