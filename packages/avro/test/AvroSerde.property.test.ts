import { SerializationError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvroSerde, InMemorySchemaRegistry } from '../src/index.js';
import { parseAvroType } from '../src/internal/parseAvroType.js';

/**
 * One field type of a random writer schema (v1): how to make its values, which reader types it may evolve
 * to, and what a v1 value becomes when read as each of them (Avro's promotion rules).
 */
interface FieldKind {
  readonly schema: unknown;
  readonly values: fc.Arbitrary<unknown>;
  /** Reader schemas this type resolves to, with the value conversion. */
  readonly evolutions: readonly { readonly schema: unknown; readonly convert: (v: unknown) => unknown }[];
}

const same = (v: unknown) => v;
const int32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const text = fc.string({ unit: 'grapheme', maxLength: 20 });

const kinds: FieldKind[] = [
  {
    schema: 'int',
    values: int32,
    evolutions: [
      { schema: 'int', convert: same },
      { schema: 'long', convert: same },
      // avsc keeps the exact number when a reader promotes to float (a JavaScript number holds it).
      { schema: 'float', convert: same },
      { schema: 'double', convert: same },
    ],
  },
  {
    schema: 'long',
    values: fc.maxSafeInteger(),
    evolutions: [
      { schema: 'long', convert: same },
      // avsc keeps the exact number when a reader promotes to float (a JavaScript number holds it).
      { schema: 'float', convert: same },
      { schema: 'double', convert: same },
    ],
  },
  {
    schema: 'float',
    values: fc.float(),
    evolutions: [
      { schema: 'float', convert: same },
      { schema: 'double', convert: same },
    ],
  },
  { schema: 'double', values: fc.double(), evolutions: [{ schema: 'double', convert: same }] },
  { schema: 'boolean', values: fc.boolean(), evolutions: [{ schema: 'boolean', convert: same }] },
  {
    schema: 'string',
    values: text,
    evolutions: [
      { schema: 'string', convert: same },
      { schema: 'bytes', convert: (v) => Buffer.from(v as string) },
    ],
  },
  {
    schema: 'bytes',
    values: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
    evolutions: [{ schema: 'bytes', convert: same }],
  },
  {
    schema: { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN'] },
    values: fc.constantFrom('RED', 'GREEN'),
    evolutions: [
      { schema: { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN'] }, convert: same },
      { schema: { type: 'enum', name: 'Colour', symbols: ['BLUE', 'GREEN', 'RED'] }, convert: same },
    ],
  },
  {
    schema: { type: 'array', items: 'int' },
    values: fc.array(int32, { maxLength: 5 }),
    evolutions: [
      { schema: { type: 'array', items: 'int' }, convert: same },
      { schema: { type: 'array', items: 'long' }, convert: same },
    ],
  },
  {
    schema: { type: 'map', values: 'string' },
    values: fc.dictionary(
      text.filter((k) => k !== '__proto__'),
      text,
      { maxKeys: 4 },
    ),
    evolutions: [{ schema: { type: 'map', values: 'string' }, convert: same }],
  },
  {
    schema: ['null', 'string'],
    values: fc.option(text, { nil: null }),
    evolutions: [{ schema: ['null', 'string'], convert: same }],
  },
];

/** Fields a reader may add, with their defaults. */
const added = [
  { type: 'string', default: 'none' },
  { type: 'int', default: -1 },
  { type: ['null', 'long'], default: null },
  { type: { type: 'array', items: 'string' }, default: [] },
  { type: 'boolean', default: true },
];

interface Evolution {
  readonly v1: object;
  readonly v2: object;
  readonly value: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

const evolution: fc.Arbitrary<Evolution> = fc
  .array(fc.nat(kinds.length - 1), { minLength: 1, maxLength: 6 })
  .chain((kindIndexes) => {
    // A kind's named types (the enum) may appear once per schema.
    const fields = kindIndexes
      .filter((k, i) => kinds[k]!.schema !== kinds[7]!.schema || kindIndexes.indexOf(k) === i)
      .map((k, i) => ({ name: `f${i}`, kind: kinds[k]! }));
    return fc
      .record({
        value: fc.tuple(...fields.map((f) => f.kind.values)),
        kept: fc.tuple(...fields.map(() => fc.boolean())),
        evolutions: fc.tuple(...fields.map((f) => fc.nat(f.kind.evolutions.length - 1))),
        additions: fc.array(fc.nat(added.length - 1), { maxLength: 3 }),
        order: fc.func(fc.integer()),
      })
      .map(({ value, kept, evolutions, additions, order }) => {
        const v1 = {
          type: 'record',
          name: 'Event',
          fields: fields.map((f) => ({ name: f.name, type: f.kind.schema })),
        };
        const v1Value: Record<string, unknown> = {};
        fields.forEach((f, i) => {
          v1Value[f.name] = value[i];
        });
        const v2Fields: { name: string; type: unknown; default?: unknown }[] = [];
        const expected: Record<string, unknown> = {};
        fields.forEach((f, i) => {
          if (!kept[i]) return;
          const e = f.kind.evolutions[evolutions[i]!]!;
          v2Fields.push({ name: f.name, type: e.schema });
          expected[f.name] = e.convert(value[i]);
        });
        additions.forEach((a, i) => {
          v2Fields.push({ name: `added${i}`, ...added[a]! });
          expected[`added${i}`] = added[a]!.default;
        });
        v2Fields.sort((a, b) => order(a.name) - order(b.name) || (a.name < b.name ? -1 : 1));
        const v2 = { type: 'record', name: 'Event', fields: v2Fields };
        return { v1, v2, value: v1Value, expected };
      });
  });

function outcome(run: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

describe('AvroSerde properties', () => {
  it('reads v1 records with any compatible v2 reader as Avro resolution says', async () => {
    await fc.assert(
      fc.asyncProperty(evolution, async ({ v1, v2, value, expected }) => {
        const registry = new InMemorySchemaRegistry();
        const writer = new AvroSerde<Record<string, unknown>>({ registry: registry.client(), schema: v1 });
        await writer.prepareWrite('events');
        const bytes = writer.serialize('events', value);
        const reader = new AvroSerde<Record<string, unknown>>({ registry: registry.client(), schema: v2 });
        await reader.prepare({
          mode: 'read',
          topic: 'events',
          isKey: false,
          records: [{ topic: 'events', key: null, value: bytes }],
        });
        expect(reader.deserialize('events', bytes)).toEqual(expected);
        expect(writer.deserialize('events', bytes)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('reads any bytes as a value valid for the reader schema or fails with a SerializationError', async () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      // A valid value with some bytes changed or cut: closer to what a real corruption looks like.
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(), fc.nat()).map(([noise, at, cut]) => ({
        noise: Buffer.from(noise),
        at,
        cut,
      })),
    );
    await fc.assert(
      fc.asyncProperty(evolution, bodies, fc.boolean(), fc.boolean(), async (e, body, readAsV2, header) => {
        const registry = new InMemorySchemaRegistry();
        const writer = new AvroSerde<Record<string, unknown>>({ registry: registry.client(), schema: e.v1 });
        await writer.prepareWrite('events');
        const valid = writer.serialize('events', e.value);
        let bytes: Buffer;
        if (Buffer.isBuffer(body)) {
          bytes = header ? Buffer.concat([valid.subarray(0, 5), body]) : body;
        } else {
          bytes = Buffer.from(valid);
          body.noise.copy(bytes, 5 + (body.at % Math.max(1, bytes.length - 5)));
          bytes = bytes.subarray(0, Math.max(1, bytes.length - (body.cut % 3)));
        }
        const schema = readAsV2 ? e.v2 : e.v1;
        const reader = new AvroSerde<unknown>({ registry: registry.client(), schema });
        await reader.prepare({
          mode: 'read',
          topic: 'events',
          isKey: false,
          records: [{ topic: 'events', key: null, value: bytes }],
        });
        const result = outcome(() => reader.deserialize('events', bytes));
        if ('error' in result) {
          expect(result.error).toBeInstanceOf(SerializationError);
        } else {
          expect(parseAvroType(schema).isValid(result.value)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('fails every record of a writer schema the reader cannot resolve, naming id and subject', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 10 }), async (s) => {
        const registry = new InMemorySchemaRegistry();
        const writer = new AvroSerde<{ f: string }>({
          registry: registry.client(),
          schema: { type: 'record', name: 'Event', fields: [{ name: 'f', type: 'string' }] },
        });
        await writer.prepareWrite('events');
        const bytes = writer.serialize('events', { f: s });
        const reader = new AvroSerde<unknown>({
          registry: registry.client(),
          schema: { type: 'record', name: 'Event', fields: [{ name: 'f', type: 'int' }] },
        });
        await reader.prepare({
          mode: 'read',
          topic: 'events',
          isKey: false,
          records: [{ topic: 'events', key: null, value: bytes }],
        });
        expect(() => reader.deserialize('events', bytes)).toThrow(SerializationError);
        expect(() => reader.deserialize('events', bytes)).toThrow(/schema id 1 \(subject 'events-value'\)/);
      }),
      { numRuns: 20 },
    );
  });
});
