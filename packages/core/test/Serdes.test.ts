import { describe, expect, it } from 'vitest';
import { type SerdePrepareRequest, Serdes, SerializationError } from '../src/index.js';

/** The layouts as they were written with BigInt and an intermediate key Buffer (the reference). */
function timeWindowedReference(key: Buffer, start: number): Buffer {
  const out = Buffer.alloc(key.length + 8);
  key.copy(out, 0);
  out.writeBigInt64BE(BigInt(start), key.length);
  return out;
}

function sessionWindowedReference(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.alloc(key.length + 16);
  key.copy(out, 0);
  out.writeBigInt64BE(BigInt(end), key.length);
  out.writeBigInt64BE(BigInt(start), key.length + 8);
  return out;
}

const strings = [
  '',
  'a',
  'user-00042',
  'sixteen-chars-ok',
  'seventeen-chars-x',
  'a longer key of more than sixteen characters',
  'é',
  'naïve',
  '日本語のキー',
  '😀',
  'lone \ud800 surrogate',
  '\udc00',
  '\u007f\u0080',
];

const times = [0, 1, 59_999, 60_000, 2 ** 32, 1_700_000_000_123, -1, -(2 ** 40), Number.MAX_SAFE_INTEGER];

describe('Serdes.String', () => {
  it('writes the bytes of Buffer.from and reads back toString', () => {
    const serde = Serdes.String();
    for (const text of strings) {
      const bytes = serde.serialize('t', text);
      expect(bytes.toString('hex'), JSON.stringify(text)).toBe(Buffer.from(text).toString('hex'));
      expect(serde.deserialize('t', bytes)).toBe(Buffer.from(text).toString());
    }
  });
});

describe('Serdes.Int64', () => {
  const serde = Serdes.Int64();
  const values = [
    0,
    1,
    -1,
    255,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 32 + 5,
    -(2 ** 32) - 5,
    2 ** 53 - 1,
    -(2 ** 53) + 1,
  ];

  it('writes the bytes of writeBigInt64BE and reads them back', () => {
    for (const value of values) {
      const expected = Buffer.alloc(8);
      expected.writeBigInt64BE(BigInt(value));
      const bytes = serde.serialize('t', value);
      expect(bytes.toString('hex'), String(value)).toBe(expected.toString('hex'));
      expect(serde.deserialize('t', bytes)).toBe(value);
    }
    expect(serde.serialize('t', -0).toString('hex')).toBe('0000000000000000');
  });

  it('rejects values beyond the safe range, both ways', () => {
    expect(() => serde.serialize('t', 2 ** 53)).toThrow(SerializationError);
    expect(() => serde.serialize('t', 1.5)).toThrow(SerializationError);
    for (const big of [2n ** 53n, -(2n ** 53n), 2n ** 62n, -(2n ** 63n)]) {
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64BE(big);
      expect(() => serde.deserialize('t', bytes), String(big)).toThrow(
        `Int64 serde on topic 't' read ${big}, beyond 2^53; use BigInt64`,
      );
    }
    expect(() => serde.deserialize('t', Buffer.alloc(7))).toThrow(SerializationError);
  });
});

describe('Serdes.TimeWindowed', () => {
  it('writes key bytes + 8-byte start for String keys and reads them back', () => {
    const serde = Serdes.TimeWindowed(Serdes.String(), 60_000);
    for (const key of strings) {
      for (const start of times) {
        const bytes = serde.serialize('t', { key, window: { start, end: start + 60_000 } });
        const expected = timeWindowedReference(Buffer.from(key), start);
        expect(bytes.toString('hex'), `${JSON.stringify(key)} ${start}`).toBe(expected.toString('hex'));
        expect(serde.deserialize('t', bytes)).toEqual({
          key: Buffer.from(key).toString(),
          window: { start, end: start + 60_000 },
        });
      }
    }
  });

  it('works the same with another inner serde', () => {
    const serde = Serdes.TimeWindowed(Serdes.Int32(), 1_000);
    const bytes = serde.serialize('t', { key: -7, window: { start: 5_000, end: 6_000 } });
    expect(bytes.toString('hex')).toBe(
      timeWindowedReference(Buffer.from('fffffff9', 'hex'), 5_000).toString('hex'),
    );
    expect(serde.deserialize('t', bytes)).toEqual({ key: -7, window: { start: 5_000, end: 6_000 } });
  });

  it('fails on short input and non-integer starts as before', () => {
    const serde = Serdes.TimeWindowed(Serdes.String(), 1_000);
    expect(() => serde.deserialize('t', Buffer.alloc(7))).toThrow(
      "TimeWindowed serde on topic 't' got 7 bytes; needs at least 8",
    );
    expect(() => serde.serialize('t', { key: 'k', window: { start: 1.5, end: 2 } })).toThrow(RangeError);
  });
});

describe('Serdes.SessionWindowed', () => {
  it('writes key bytes + end + start and reads them back', () => {
    const serde = Serdes.SessionWindowed(Serdes.String());
    for (const key of strings) {
      for (const start of times) {
        const end = start + 17;
        const bytes = serde.serialize('t', { key, window: { start, end } });
        const expected = sessionWindowedReference(Buffer.from(key), start, end);
        expect(bytes.toString('hex'), `${JSON.stringify(key)} ${start}`).toBe(expected.toString('hex'));
        expect(serde.deserialize('t', bytes)).toEqual({
          key: Buffer.from(key).toString(),
          window: { start, end },
        });
      }
    }
    expect(() => serde.deserialize('t', Buffer.alloc(15))).toThrow(
      "SessionWindowed serde on topic 't' got 15 bytes; needs at least 16",
    );
  });

  it('windowed serdes forward the inner serde’s prepare hook, reads cut to the inner key', async () => {
    expect(Serdes.TimeWindowed(Serdes.String(), 10).prepare).toBeUndefined();
    const seen: string[] = [];
    const inner = {
      ...Serdes.String(),
      prepare(request: SerdePrepareRequest) {
        seen.push(
          `${request.mode} ${request.records.map((r) => String(request.isKey ? r.key : r.value)).join(',')}`,
        );
        return Promise.resolve();
      },
    };
    for (const [serde, window] of [
      [Serdes.TimeWindowed(inner, 10), { start: 5, end: 15 }],
      [Serdes.SessionWindowed(inner), { start: 5, end: 9 }],
    ] as const) {
      const key = serde.serialize('t', { key: 'card', window });
      await serde.prepare!({ mode: 'write', topic: 't', isKey: true, records: [] });
      await serde.prepare!({
        mode: 'read',
        topic: 't',
        isKey: true,
        records: [{ topic: 't', key, value: null }],
      });
    }
    expect(seen).toEqual(['write ', 'read card', 'write ', 'read card']);
  });
});
