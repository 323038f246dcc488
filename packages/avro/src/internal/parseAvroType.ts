import avsc from 'avsc';

/** avsc's reading cursor; only what the guards below use. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  readInt(): number;
  writeLong(n: number): void;
}

const TWO_52 = 2 ** 52;

/**
 * avsc computes a long's zigzag varint in floating point, exact only below 2^52 in magnitude: -(2^52 + 1)
 * came back as 2^52 (found by our property test). This long type takes avsc's fast path below 2^52 and
 * BigInt arithmetic above, up to the safe-integer limit; beyond it reading throws (use a BigInt serde).
 */
/** Reads a long varint exactly (rounded to the nearest double beyond 2^53), or -0 past the buffer's end. */
function readLong(tap: Tap): number {
  const buf = tap.buf;
  const start = tap.pos;
  // Up to 7 varint bytes hold 49 bits: avsc's float arithmetic is exact there.
  let end = start;
  while (end < buf.length && end - start < 7 && buf[end]! & 0x80) end++;
  if (end - start < 7) return tap.readLong();
  let zigzag = 0n;
  let shift = 0n;
  let pos = start;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) {
      tap.pos = pos; // past the end: decode reports the truncation
      return 0;
    }
    zigzag |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if (!(b & 0x80)) break;
    if (shift > 63n) throw new Error('long varint longer than 10 bytes');
  }
  tap.pos = pos;
  return Number((zigzag >> 1n) ^ -(zigzag & 1n));
}

function readSafeLong(tap: Tap): number {
  const n = readLong(tap);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`long ${n} is beyond the safe-integer range of a JavaScript number`);
  }
  return n;
}

class SafeLongType extends avsc.types.LongType {
  _read(tap: Tap): number {
    return readSafeLong(tap);
  }

  _write(tap: Tap & { writeFixed(b: Buffer): void }, value: number): void {
    if (typeof value !== 'number' || (value < TWO_52 && value > -TWO_52)) {
      // Below 2^52 (and anything invalid, which avsc rejects with its own message).
      (avsc.types.LongType.prototype as unknown as { _write(t: Tap, v: unknown): void })._write.call(
        this,
        tap,
        value,
      );
      return;
    }
    if (!Number.isSafeInteger(value)) throw new Error(`invalid "long": ${value}`);
    const n = BigInt(value);
    let zigzag = n >= 0n ? n << 1n : (-n << 1n) - 1n;
    const bytes: number[] = [];
    while (zigzag >= 0x80n) {
      bytes.push(Number(zigzag & 0x7fn) | 0x80);
      zigzag >>= 7n;
    }
    bytes.push(Number(zigzag));
    tap.writeFixed(Buffer.from(bytes));
  }
}

/**
 * avsc reads `int` with its `long` varint reader, so an int field with 5 varint bytes out of range came back as
 * a number beyond 32 bits: a silently wrong value. This int type rejects it.
 */
class StrictIntType extends avsc.types.IntType {
  _read(tap: Tap): number {
    const n = tap.readInt();
    if ((n | 0) !== n) throw new Error(`int out of the 32-bit range: ${n}`);
    return n;
  }
}

/**
 * An array or map block announcing more items than bytes left would make avsc loop (and allocate) up to that
 * count, past the end of the buffer: with random or hostile bytes, a hang. Every item but a zero-sized one
 * takes at least a byte, so a larger count is corrupt data; blocks of possibly zero-sized items are capped.
 * These types re-implement avsc's block loops with that check on every block.
 */
const MAX_EMPTY_ITEMS = 1_000_000;

interface ItemReader {
  readonly typeName?: string;
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

/** Skips an array's or map's blocks (fields a reader drops), with the same bounds as reading them. */
function skipBlocks(tap: Tap, empty: boolean, kind: string, skipItem: (tap: Tap) => void): void {
  for (;;) {
    const start = tap.pos;
    const signed = tap.readLong();
    if (signed === 0) return;
    if (signed < 0) {
      // The block says its size in bytes: jump over it.
      const size = tap.readLong();
      tap.pos += size;
      if (size < 0 || tap.pos > tap.buf.length) return;
      continue;
    }
    tap.pos = start;
    let n = blockCount(tap, empty, kind);
    while (n-- > 0) {
      skipItem(tap);
      if (tap.pos > tap.buf.length) return;
    }
  }
}

function mayBeEmpty(type: ItemReader): boolean {
  // A resolver (reading another writer's items) has no typeName: its writer's item size is unknown here.
  if (type.typeName === undefined) return true;
  const t = type as ItemReader & { fields?: { type: ItemReader }[]; size?: number };
  switch (t.typeName) {
    case 'null':
      return true;
    case 'record':
    case 'error':
      return (t.fields ?? []).every((f) => mayBeEmpty(f.type));
    case 'fixed':
      return t.size === 0;
    default:
      return false;
  }
}

function blockCount(tap: Tap, itemsMayBeEmpty: boolean, kind: string): number {
  let count = tap.readLong();
  if (count < 0) {
    count = -count;
    tap.readLong(); // the block's size in bytes
  }
  const left = tap.buf.length - tap.pos;
  if (count > (itemsMayBeEmpty ? Math.max(left, MAX_EMPTY_ITEMS) : left)) {
    throw new Error(`${kind} block announces ${count} items but ${Math.max(left, 0)} bytes are left`);
  }
  return count;
}

const emptyItems = new WeakMap<ItemReader, boolean>();

class GuardedArrayType extends (avsc.types.ArrayType as unknown as new (
  schema: unknown,
  options: unknown,
) => avsc.Type) {
  _read(this: GuardedArrayType & { itemsType: ItemReader }, tap: Tap): unknown[] {
    const items = this.itemsType;
    // avsc freezes its types (and resolvers): remember the answer beside them.
    let empty = emptyItems.get(items);
    if (empty === undefined) {
      empty = mayBeEmpty(items);
      emptyItems.set(items, empty);
    }
    const out: unknown[] = [];
    for (let n = blockCount(tap, empty, 'array'); n > 0; n = blockCount(tap, empty, 'array')) {
      while (n-- > 0) {
        out.push(items._read(tap));
        // Past the end the read has failed already (decode reports it); stop instead of counting on.
        if (tap.pos > tap.buf.length) return out;
      }
    }
    return out;
  }

  _skip(this: GuardedArrayType & { itemsType: ItemReader }, tap: Tap): void {
    const items = this.itemsType;
    skipBlocks(tap, mayBeEmpty(items), 'array', (t) => items._skip(t));
  }
}

class GuardedMapType extends (avsc.types.MapType as unknown as new (
  schema: unknown,
  options: unknown,
) => avsc.Type) {
  _read(this: GuardedMapType & { valuesType: ItemReader }, tap: Tap & { readString(): string }): object {
    const values = this.valuesType;
    const out: Record<string, unknown> = {};
    // An entry's key is a string: at least its one length byte, so entries are never empty.
    for (let n = blockCount(tap, false, 'map'); n > 0; n = blockCount(tap, false, 'map')) {
      while (n-- > 0) {
        const key = tap.readString();
        const value = values._read(tap);
        // A '__proto__' key from the wire must be a key, not a new prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true });
        else out[key] = value;
        if (tap.pos > tap.buf.length) return out;
      }
    }
    return out;
  }

  _skip(this: GuardedMapType & { valuesType: ItemReader }, tap: Tap & { skipString(): void }): void {
    const values = this.valuesType;
    skipBlocks(tap, false, 'map', (t) => {
      tap.skipString();
      values._skip(t);
    });
  }
}

type Resolver = { _read(tap: Tap): unknown };
type Updatable = { _update(resolver: Resolver, writer: avsc.Type, options: unknown): void };

/** avsc promotes a long writer to float or double with its inexact reader; these use the exact one. */
function promotingLongsExactly(Base: new () => avsc.Type): new () => avsc.Type {
  return class extends Base {
    _update(resolver: Resolver, writer: avsc.Type, options: unknown): void {
      (Base.prototype as unknown as Updatable)._update.call(this, resolver, writer, options);
      if (writer.typeName === 'long') resolver._read = readLong;
    }
  };
}

const ExactFloatType = promotingLongsExactly(avsc.types.FloatType as unknown as new () => avsc.Type);
const ExactDoubleType = promotingLongsExactly(avsc.types.DoubleType as unknown as new () => avsc.Type);

function typeHook(schema: unknown, options: unknown): avsc.Type | undefined {
  if (schema === 'int') return new StrictIntType();
  if (schema === 'long') return new SafeLongType();
  if (schema === 'float') return new ExactFloatType();
  if (schema === 'double') return new ExactDoubleType();
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const s = schema as { type?: unknown; logicalType?: unknown };
  if (s.logicalType !== undefined) return undefined;
  if (s.type === 'int') return new StrictIntType();
  if (s.type === 'long') return new SafeLongType();
  if (s.type === 'float') return new ExactFloatType();
  if (s.type === 'double') return new ExactDoubleType();
  if (s.type === 'array') return new GuardedArrayType(schema, options);
  if (s.type === 'map') return new GuardedMapType(schema, options);
  return undefined;
}

/** A schema given as a string is JSON text (`'{"type":"record",...}'`, `'"string"'`) or a type name (`'string'`). */
export function schemaValue(schema: string | object): unknown {
  if (typeof schema !== 'string') return schema;
  try {
    return JSON.parse(schema);
  } catch {
    return schema;
  }
}

/** The schema without docs or other attributes, as JSON: equal for schemas that describe the same data. */
export function canonicalSchema(type: avsc.Type): string {
  return JSON.stringify(type.schema());
}

/**
 * Parses an Avro schema (JSON text, type name or object) into an avsc type that reads strictly: out-of-range ints and
 * impossible array or map counts throw instead of returning wrong values or hanging. Records are plain
 * objects (no methods on their prototype); unambiguous unions are unwrapped.
 */
export function parseAvroType(schema: string | object): avsc.Type {
  return avsc.Type.forSchema(schemaValue(schema) as avsc.Schema, {
    typeHook: typeHook as never,
    omitRecordMethods: true,
    wrapUnions: 'auto',
  });
}
