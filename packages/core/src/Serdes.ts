import { BigEndianTimestamp } from './BigEndianTimestamp.js';
import { encodeUtf8 } from './internal/encodeUtf8.js';
import { forwardPrepare } from './internal/forwardPrepare.js';
import type { Serde } from './Serde.js';
import { SerializationError } from './SerializationError.js';
import type { Windowed } from './Windowed.js';

function fixedWidth(name: string, topic: string, data: Buffer, width: number): void {
  if (data.length !== width) {
    throw new SerializationError(
      `${name} serde on topic '${topic}' expected ${width} bytes but got ${data.length}; ` +
        'check that the producer of this topic uses the same serde',
    );
  }
}

// `toString()` without an encoding argument is utf8 and takes Node's fast path (no encoding lookup);
// encodeUtf8 is `Buffer.from(string)` with a faster path for short ASCII strings (see there).
const StringSerde: Serde<string> = {
  name: 'String',
  serialize: (_topic, data) => encodeUtf8(data),
  deserialize: (_topic, data) => data.toString(),
};

const BytesSerde: Serde<Buffer> = {
  name: 'Bytes',
  serialize: (_topic, data) => data,
  deserialize: (_topic, data) => data,
};

const Int32Serde: Serde<number> = {
  name: 'Int32',
  serialize(topic, data) {
    if (!Number.isInteger(data) || data < -2147483648 || data > 2147483647) {
      throw new SerializationError(
        `Int32 serde on topic '${topic}' cannot write ${data}: not a 32-bit integer; use Int64 or Double`,
      );
    }
    const out = Buffer.allocUnsafe(4);
    out.writeInt32BE(data, 0);
    return out;
  },
  deserialize(topic, data) {
    fixedWidth('Int32', topic, data, 4);
    return data.readInt32BE(0);
  },
};

const TWO_32 = 0x1_0000_0000;

/**
 * Int64 without BigInt: a safe integer is written as its high (signed) and low (unsigned) 32-bit halves, which
 * is its 64-bit two's complement; reading accepts exactly the safe range (|v| <= 2^53 - 1). The bytes are
 * written and read one by one (no Buffer method calls and their argument checks).
 */
const Int64Serde: Serde<number> = {
  name: 'Int64',
  serialize(topic, data) {
    if (!Number.isSafeInteger(data)) {
      throw new SerializationError(
        `Int64 serde on topic '${topic}' cannot write ${data}: not a safe integer; use BigInt64 for values beyond 2^53`,
      );
    }
    const out = Buffer.allocUnsafe(8);
    BigEndianTimestamp.write(out, 0, data);
    return out;
  },
  deserialize(topic, data) {
    fixedWidth('Int64', topic, data, 8);
    const high = (data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!;
    const low = data[4]! * 0x100_0000 + ((data[5]! << 16) | (data[6]! << 8) | data[7]!);
    // safe: high in [-2^21, 2^21 - 1], except -2^53 itself (high -2^21, low 0)
    if (high > 0x1f_ffff || high < -0x20_0000 || (high === -0x20_0000 && low === 0)) {
      throw new SerializationError(
        `Int64 serde on topic '${topic}' read ${data.readBigInt64BE(0)}, beyond 2^53; use BigInt64`,
      );
    }
    return high * TWO_32 + low;
  },
};

const BigInt64Serde: Serde<bigint> = {
  name: 'BigInt64',
  serialize(_topic, data) {
    const out = Buffer.allocUnsafe(8);
    out.writeBigInt64BE(data, 0);
    return out;
  },
  deserialize(topic, data) {
    fixedWidth('BigInt64', topic, data, 8);
    return data.readBigInt64BE(0);
  },
};

const DoubleSerde: Serde<number> = {
  name: 'Double',
  serialize(_topic, data) {
    const out = Buffer.allocUnsafe(8);
    out.writeDoubleBE(data, 0);
    return out;
  },
  deserialize(topic, data) {
    fixedWidth('Double', topic, data, 8);
    return data.readDoubleBE(0);
  },
};

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUIDs travel as their 36-character text, as Kafka's UUID serde writes them. */
const UuidSerde: Serde<string> = {
  name: 'UUID',
  serialize(topic, data) {
    if (!UUID_PATTERN.test(data))
      throw new SerializationError(`UUID serde on topic '${topic}' cannot write '${data}': not a UUID`);
    return Buffer.from(data, 'utf8');
  },
  deserialize(topic, data) {
    const text = data.toString('utf8');
    if (!UUID_PATTERN.test(text))
      throw new SerializationError(`UUID serde on topic '${topic}' read '${text}': not a UUID`);
    return text;
  },
};

function json<T>(): Serde<T> {
  return {
    name: 'Json',
    serialize: (_topic, data) => Buffer.from(JSON.stringify(data), 'utf8'),
    deserialize(topic, data) {
      try {
        return JSON.parse(data.toString('utf8')) as T;
      } catch (cause) {
        throw new SerializationError(`Json serde on topic '${topic}' could not parse ${data.length} bytes`, {
          cause,
        });
      }
    },
  };
}

/**
 * The bytes of a windowed key's inner key followed by `timeBytes` more bytes for the caller to fill. With the
 * String serde the key is encoded straight into the result (one Buffer instead of two and a copy).
 */
function innerKeyWithRoom<K>(inner: Serde<K>, topic: string, key: K, timeBytes: number): Buffer {
  if (inner === (StringSerde as Serde<unknown>)) return encodeUtf8(key as string, timeBytes);
  const bytes = inner.serialize(topic, key);
  const out = Buffer.allocUnsafe(bytes.length + timeBytes);
  bytes.copy(out, 0);
  return out;
}

/** The inner key of a windowed key's bytes (the first `keyLength` bytes); String keys decode without a view. */
function innerKeyOf<K>(inner: Serde<K>, topic: string, data: Buffer, keyLength: number): K {
  if (inner === (StringSerde as Serde<unknown>)) return data.toString('utf8', 0, keyLength) as K;
  return inner.deserialize(topic, data.subarray(0, keyLength));
}

/**
 * Keys of a time-windowed table: the inner key's bytes followed by the window start (8 bytes, big-endian).
 * The window end is start + `windowSizeMs`, as in Kafka Streams' TimeWindowedSerde.
 */
function timeWindowed<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
  return {
    name: `TimeWindowed<${inner.name}>`,
    prepare: forwardPrepare(inner as Serde<unknown>, 8),
    serialize(topic, data) {
      const out = innerKeyWithRoom(inner, topic, data.key, 8);
      BigEndianTimestamp.write(out, out.length - 8, data.window.start);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 8)
        throw new SerializationError(
          `TimeWindowed serde on topic '${topic}' got ${data.length} bytes; needs at least 8`,
        );
      const keyLength = data.length - 8;
      const start = BigEndianTimestamp.read(data, keyLength);
      return {
        key: innerKeyOf(inner, topic, data, keyLength),
        window: { start, end: start + windowSizeMs },
      };
    },
  };
}

/** Keys of a session-windowed table: inner key bytes, then window end and window start (8 bytes each). */
function sessionWindowed<K>(inner: Serde<K>): Serde<Windowed<K>> {
  return {
    name: `SessionWindowed<${inner.name}>`,
    prepare: forwardPrepare(inner as Serde<unknown>, 16),
    serialize(topic, data) {
      const out = innerKeyWithRoom(inner, topic, data.key, 16);
      const keyLength = out.length - 16;
      BigEndianTimestamp.write(out, keyLength, data.window.end);
      BigEndianTimestamp.write(out, keyLength + 8, data.window.start);
      return out;
    },
    deserialize(topic, data) {
      if (data.length < 16)
        throw new SerializationError(
          `SessionWindowed serde on topic '${topic}' got ${data.length} bytes; needs at least 16`,
        );
      const keyLength = data.length - 16;
      const end = BigEndianTimestamp.read(data, keyLength);
      const start = BigEndianTimestamp.read(data, keyLength + 8);
      return { key: innerKeyOf(inner, topic, data, keyLength), window: { start, end } };
    },
  };
}

/** The built-in serdes. */
export const Serdes = {
  String: (): Serde<string> => StringSerde,
  Bytes: (): Serde<Buffer> => BytesSerde,
  Int32: (): Serde<number> => Int32Serde,
  Int64: (): Serde<number> => Int64Serde,
  BigInt64: (): Serde<bigint> => BigInt64Serde,
  Double: (): Serde<number> => DoubleSerde,
  UUID: (): Serde<string> => UuidSerde,
  Json: json,
  TimeWindowed: timeWindowed,
  SessionWindowed: sessionWindowed,
} as const;
