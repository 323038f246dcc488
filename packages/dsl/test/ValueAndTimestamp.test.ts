import { Serdes, SerializationError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { valueAndTimestampSerde } from '../src/internal/ValueAndTimestamp.js';

function reference(timestamp: number, value: Buffer): string {
  const out = Buffer.alloc(8 + value.length);
  out.writeBigInt64BE(BigInt(timestamp), 0);
  value.copy(out, 8);
  return out.toString('hex');
}

describe('valueAndTimestampSerde', () => {
  it('writes timestamp + Int64 bytes and reads them back', () => {
    const serde = valueAndTimestampSerde(Serdes.Int64());
    for (const [value, timestamp] of [
      [0, 0],
      [1, 59_999],
      [-5, 1_700_000_000_123],
      [2 ** 53 - 1, -1],
      [-(2 ** 53) + 1, 2 ** 40],
    ] as const) {
      const bytes = serde.serialize('t', { value, timestamp });
      expect(bytes.toString('hex')).toBe(reference(timestamp, Serdes.Int64().serialize('t', value)));
      expect(serde.deserialize('t', bytes)).toEqual({ value, timestamp });
    }
  });

  it('fails as the Int64 serde does on values beyond 2^53 and on wrong lengths', () => {
    const serde = valueAndTimestampSerde(Serdes.Int64());
    expect(() => serde.serialize('t', { value: 2 ** 53, timestamp: 0 })).toThrow(SerializationError);
    const big = Buffer.alloc(16);
    big.writeBigInt64BE(2n ** 60n, 8);
    expect(() => serde.deserialize('t', big)).toThrow(
      `Int64 serde on topic 't' read ${2n ** 60n}, beyond 2^53; use BigInt64`,
    );
    expect(() => serde.deserialize('t', Buffer.alloc(15))).toThrow(
      "Int64 serde on topic 't' expected 8 bytes but got 7",
    );
    expect(() => serde.deserialize('t', Buffer.alloc(7))).toThrow(
      "ValueAndTimestamp serde on topic 't' got 7 bytes; needs at least 8",
    );
    expect(() => serde.serialize('t', { value: 1, timestamp: 0.5 })).toThrow(RangeError);
  });

  it('writes timestamp + value bytes with other serdes', () => {
    const serde = valueAndTimestampSerde(Serdes.String());
    const bytes = serde.serialize('t', { value: 'naïve', timestamp: 42 });
    expect(bytes.toString('hex')).toBe(reference(42, Buffer.from('naïve')));
    expect(serde.deserialize('t', bytes)).toEqual({ value: 'naïve', timestamp: 42 });
  });
});
