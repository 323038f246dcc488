import { SerializationError, type SerializedRecord } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  AvroSerde,
  AvroSerdes,
  type AvroValue,
  InMemorySchemaRegistry,
  SchemaRegistryError,
  SubjectNameStrategies,
} from '../src/index.js';

const TransactionV1 = {
  type: 'record',
  name: 'Transaction',
  namespace: 'fraud',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'int' },
    { name: 'note', type: 'string' },
  ],
} as const;

// v2: amount promoted to long, note removed, currency added with a default.
const TransactionV2 = {
  type: 'record',
  name: 'Transaction',
  namespace: 'fraud',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'long' },
    { name: 'currency', type: 'string', default: 'EUR' },
  ],
} as const;

type TransactionV2 = AvroValue<typeof TransactionV2>;

function read(topic: string, value: Buffer, key: Buffer | null = null): SerializedRecord {
  return { topic, key, value };
}

async function written<T>(serde: AvroSerde<T>, topic: string, value: T): Promise<Buffer> {
  await serde.prepareWrite(topic);
  return serde.serialize(topic, value);
}

describe('AvroSerde', () => {
  it('writes the Confluent wire format and reads it back as the inferred type', async () => {
    const registry = new InMemorySchemaRegistry();
    const serde = AvroSerdes.value(TransactionV1, { registry: registry.client() });
    const bytes = await written(serde, 'tx', { id: 't1', amount: 42, note: 'coffee' });
    // magic 0, id 1 (big-endian int32), then the Avro body: "t1" (len 2 → 0x04), 42 (zigzag 84), "coffee"
    expect([...bytes]).toEqual([0, 0, 0, 0, 1, 4, 0x74, 0x31, 84, 12, ...Buffer.from('coffee')]);
    const value: { id: string; amount: number; note: string } = serde.deserialize('tx', bytes);
    // @ts-expect-error the schema says amount is an int (a number)
    const wrong: AvroValue<typeof TransactionV1> = { id: 't', amount: '42', note: '' };
    expect(wrong.id).toBe('t');
    expect(value).toEqual({ id: 't1', amount: 42, note: 'coffee' });
    expect(registry.version('tx-value', 'latest')).toMatchObject({ id: 1, version: 1 });
  });

  it('reads v1 data with a v2 reader: defaulted field, removed field, int promoted to long', async () => {
    const registry = new InMemorySchemaRegistry();
    const v1 = AvroSerdes.value(TransactionV1, { registry: registry.client() });
    const bytes = await written(v1, 'tx', { id: 't1', amount: 7, note: 'x' });
    // A reader elsewhere: its own client, so the writer's id must be fetched by prepare.
    const v2 = AvroSerdes.value(TransactionV2, { registry: registry.client() });
    await v2.prepare({ mode: 'read', topic: 'tx', isKey: false, records: [read('tx', bytes)] });
    const value: TransactionV2 = v2.deserialize('tx', bytes);
    expect(value).toEqual({ id: 't1', amount: 7, currency: 'EUR' });
  });

  it('fetches each unknown writer id once per batch, and nothing once known (no Promise)', async () => {
    const registry = new InMemorySchemaRegistry();
    const writer = AvroSerdes.value(TransactionV1, { registry: registry.client() });
    const records = [];
    for (let i = 0; i < 1000; i++) {
      records.push(read('tx', await written(writer, 'tx', { id: `t${i}`, amount: i, note: '' })));
    }
    const reader = AvroSerdes.value(TransactionV2, { registry: registry.client() });
    const before = registry.requests;
    const pending = reader.prepare({ mode: 'read', topic: 'tx', isKey: false, records });
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(registry.requests - before).toBe(1);
    expect(reader.prepare({ mode: 'read', topic: 'tx', isKey: false, records })).toBeUndefined();
    expect(records.map((r) => reader.deserialize('tx', r.value!).amount)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    expect(registry.requests - before).toBe(1);
    // A write for a prepared topic needs nothing either.
    expect(writer.prepareWrite('tx')).toBeUndefined();
  });

  it('reads only the records of its topic and its part (key or value)', async () => {
    const registry = new InMemorySchemaRegistry();
    const keys = AvroSerdes.key('string', { registry: registry.client() });
    const key = await written(keys, 'tx', 'card-1');
    expect(registry.version('tx-key', 1).schema).toBe('"string"');
    const reader = AvroSerdes.key('string', { registry: registry.client() });
    const request = (topic: string, isKey: boolean) =>
      reader.prepare({ mode: 'read', topic, isKey, records: [read('tx', Buffer.from('v'), key)] });
    expect(request('other', true)).toBeUndefined();
    expect(request('tx', false)).toBeUndefined();
    await request('tx', true);
    expect(reader.deserialize('tx', key)).toBe('card-1');
  });

  it('names subjects by topic, record or topic and record', async () => {
    const registry = new InMemorySchemaRegistry();
    const subjects = [];
    for (const strategy of [
      SubjectNameStrategies.topicName,
      SubjectNameStrategies.recordName,
      SubjectNameStrategies.topicRecordName,
    ]) {
      const serde = AvroSerdes.value(TransactionV1, {
        registry: registry.client(),
        subjectNameStrategy: strategy,
      });
      await written(serde, 'tx', { id: 'a', amount: 1, note: '' });
      subjects.push(serde.subject('tx'));
    }
    expect(subjects).toEqual(['tx-value', 'fraud.Transaction', 'tx-fraud.Transaction']);
    for (const subject of subjects) expect(registry.version(subject, 'latest').id).toBe(1);
    expect(() =>
      new AvroSerde({
        registry: registry.client(),
        schema: 'string',
        subjectNameStrategy: SubjectNameStrategies.recordName,
      }).subject('tx'),
    ).toThrow(/needs a named schema/);
  });

  it('without auto-registration, writes only with a schema registered already', async () => {
    const registry = new InMemorySchemaRegistry();
    const serde = AvroSerdes.value(TransactionV1, { registry: registry.client(), autoRegister: false });
    const error = await Promise.resolve(serde.prepareWrite('tx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect((error as SchemaRegistryError).status).toBe(404);
    expect(() => serde.serialize('tx', { id: 'a', amount: 1, note: '' })).toThrow(
      /has no schema id for topic 'tx' \(subject 'tx-value'\) yet/,
    );
    await registry.client().register('other-value', JSON.stringify(TransactionV2));
    await registry.client().register('tx-value', JSON.stringify(TransactionV1));
    const bytes = await written(serde, 'tx', { id: 'a', amount: 1, note: '' });
    expect(bytes.readInt32BE(1)).toBe(2);
    expect(registry.version('tx-value', 'latest').version).toBe(1);
  });

  it('with use-latest-version, writes with the subject’s latest schema (defaults filled)', async () => {
    const registry = new InMemorySchemaRegistry();
    const client = registry.client();
    await client.register('tx-value', JSON.stringify(TransactionV1));
    const v2Id = await client.register('tx-value', JSON.stringify(TransactionV2));
    const serde = new AvroSerde<{ id: string; amount: number }>({
      registry: registry.client(),
      useLatestVersion: true,
    });
    const bytes = await written(serde, 'tx', { id: 'a', amount: 5 });
    expect(bytes.readInt32BE(1)).toBe(v2Id);
    const reader = AvroSerdes.value(TransactionV2, { registry: client });
    expect(reader.deserialize('tx', bytes)).toEqual({ id: 'a', amount: 5, currency: 'EUR' });
  });

  it('refuses an incompatible registration with the registry’s message', async () => {
    const registry = new InMemorySchemaRegistry();
    const client = registry.client();
    await client.register('tx-value', JSON.stringify(TransactionV1));
    const incompatible = { ...TransactionV1, fields: [...TransactionV1.fields, { name: 'x', type: 'int' }] };
    expect(await client.testCompatibility('tx-value', JSON.stringify(incompatible))).toBe(false);
    expect(await client.testCompatibility('tx-value', JSON.stringify(TransactionV2))).toBe(true);
    const serde = new AvroSerde({ registry: client, schema: incompatible });
    await expect(serde.prepareWrite('tx')).rejects.toThrow(
      "Schema being registered is incompatible with version 1 of subject 'tx-value' (BACKWARD)",
    );
    await client.setCompatibility('NONE', 'tx-value');
    expect(await client.getCompatibility('tx-value')).toBe('NONE');
    expect(await client.getCompatibility()).toBe('BACKWARD');
    await serde.prepareWrite('tx');
    expect(registry.version('tx-value', 'latest').version).toBe(2);
  });

  describe('bad bytes', () => {
    async function setup() {
      const registry = new InMemorySchemaRegistry();
      const serde = AvroSerdes.value(TransactionV2, { registry: registry.client() });
      const good = await written(serde, 'tx', { id: 'abc', amount: 3, currency: 'USD' });
      return { registry, serde, good };
    }

    const cases: [string, (good: Buffer) => Buffer, RegExp][] = [
      [
        'empty',
        () => Buffer.alloc(0),
        /cannot read a value of 0 byte\(s\) on topic 'tx' \(subject 'tx-value'\)/,
      ],
      ['wrong magic byte', (g) => Buffer.from([1, ...g.subarray(1)]), /magic byte 1, expected 0/],
      [
        'a truncated body',
        (g) => g.subarray(0, g.length - 2),
        /schema id 1 \(subject 'tx-value'\): the body is truncated/,
      ],
      ['trailing bytes', (g) => Buffer.concat([g, Buffer.from([1])]), /schema id 1 .*1 byte\(s\) left over/],
      [
        'an invalid string length',
        (g) => Buffer.from([...g.subarray(0, 5), 0x03, ...g.subarray(6)]),
        /schema id 1 \(subject 'tx-value'\)/,
      ],
    ];
    for (const [name, corrupt, message] of cases) {
      it(`rejects ${name} with a SerializationError`, async () => {
        const { serde, good } = await setup();
        let error: unknown;
        try {
          serde.deserialize('tx', corrupt(good));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SerializationError);
        expect((error as Error).message).toMatch(message);
      });
    }

    it('names an id the registry does not know, after prepare asked for it', async () => {
      const { registry, serde, good } = await setup();
      const unknown = Buffer.from(good);
      unknown.writeInt32BE(99, 1);
      await serde.prepare({ mode: 'read', topic: 'tx', isKey: false, records: [read('tx', unknown)] });
      expect(() => serde.deserialize('tx', unknown)).toThrow(
        /topic 'tx' written with schema id 99 \(subject 'tx-value'\): the in-memory schema registry does not know schema id 99/,
      );
      // Asked once: the failure is remembered, not asked per record.
      const before = registry.requests;
      expect(
        serde.prepare({ mode: 'read', topic: 'tx', isKey: false, records: [read('tx', unknown)] }),
      ).toBeUndefined();
      expect(registry.requests).toBe(before);
    });

    it('names an id not prepared yet', async () => {
      const { good } = await setup();
      const reader = AvroSerdes.value(TransactionV2, { registry: new InMemorySchemaRegistry().client() });
      expect(() => reader.deserialize('tx', good)).toThrow(/schema id 1 .*the id is not known yet; await/);
    });

    it('names a writer schema that cannot be resolved to the reader’s', async () => {
      const registry = new InMemorySchemaRegistry();
      const writer = new AvroSerde<{ id: number }>({
        registry: registry.client(),
        schema: {
          type: 'record',
          name: 'Transaction',
          namespace: 'fraud',
          fields: [{ name: 'id', type: 'int' }],
        },
      });
      const bytes = await written(writer, 'tx', { id: 1 });
      const reader = AvroSerdes.value(TransactionV2, { registry: registry.client() });
      await reader.prepare({ mode: 'read', topic: 'tx', isKey: false, records: [read('tx', bytes)] });
      expect(() => reader.deserialize('tx', bytes)).toThrow(
        /schema id 1 \(subject 'tx-value'\): writer schema id 1 \(fraud.Transaction\) cannot be read as this serde's schema/,
      );
    });

    it('rejects a value the schema does not describe, naming the field', async () => {
      const { serde } = await setup();
      expect(() =>
        serde.serialize('tx', { id: 'a', amount: 1.5, currency: 'EUR' } as unknown as TransactionV2),
      ).toThrow(
        /could not write a value to topic 'tx' with schema id 1 \(subject 'tx-value'\): .*amount = 1.5/,
      );
    });
  });

  it('a generic serde reads records as written and cannot write without a schema', async () => {
    const registry = new InMemorySchemaRegistry();
    const v1 = AvroSerdes.value(TransactionV1, { registry: registry.client() });
    const bytes = await written(v1, 'tx', { id: 'g', amount: -5, note: 'n' });
    const generic = AvroSerdes.generic({ registry: registry.client() });
    await generic.prepare({ mode: 'read', topic: 'tx', isKey: false, records: [read('tx', bytes)] });
    expect(generic.deserialize('tx', bytes)).toEqual({ id: 'g', amount: -5, note: 'n' });
    await expect(generic.prepareWrite('tx')).rejects.toThrow(
      /has no schema; pass `schema` or `useLatestVersion/,
    );
  });

  it('grows its encoding buffer for large values', async () => {
    const registry = new InMemorySchemaRegistry();
    const serde = AvroSerdes.value(TransactionV1, { registry: registry.client() });
    const note = 'x'.repeat(100_000);
    const bytes = await written(serde, 'tx', { id: 'big', amount: 1, note });
    expect(serde.deserialize('tx', bytes).note).toBe(note);
    expect(serde.deserialize('tx', await written(serde, 'tx', { id: 's', amount: 2, note: '' }))).toEqual({
      id: 's',
      amount: 2,
      note: '',
    });
  });
});
