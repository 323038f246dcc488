import { Serdes, SerializationError } from '@tributary/core';
import { Consumed, Grouped, Materialized, Produced, StreamsBuilder } from '@tributary/dsl';
import { TopologyTestDriver } from '@tributary/test-driver';
import { describe, expect, it } from 'vitest';
import { AvroSerdes, type AvroValue, InMemorySchemaRegistry } from '../src/index.js';

const PaymentV1 = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'card', type: 'string' },
    { name: 'cents', type: 'int' },
  ],
} as const;

const PaymentV2 = {
  type: 'record',
  name: 'Payment',
  fields: [
    { name: 'card', type: 'string' },
    { name: 'cents', type: 'long' },
    { name: 'country', type: 'string', default: 'NL' },
  ],
} as const;

type PaymentV2 = AvroValue<typeof PaymentV2>;

const S = Serdes.String();

describe('Avro serdes in a topology (test driver)', () => {
  it('reads v1 records written elsewhere, writes v2 records, and repartitions Avro values', async () => {
    const registry = new InMemorySchemaRegistry();
    const app = registry.client(); // the application's client
    const builder = new StreamsBuilder();
    const payments = builder.stream(
      'payments',
      Consumed.with(S, AvroSerdes.value(PaymentV2, { registry: app })),
    );
    // No cast: the stream's value type is inferred from the schema literal.
    payments
      .mapValues((p): PaymentV2 => ({ ...p, cents: p.cents * 2 }))
      .to('payments-v2', Produced.with(S, AvroSerdes.value(PaymentV2, { registry: app })));
    payments
      .groupBy((_k, p) => p.country, Grouped.with(S, AvroSerdes.value(PaymentV2, { registry: app })))
      .count(Materialized.as<string, number>('per-country').withValueSerde(Serdes.Int64()))
      .toStream()
      .to('per-country', Produced.with(S, Serdes.Int64()));
    const driver = new TopologyTestDriver(builder.build());
    try {
      // The producer of 'payments' is another process with its own client and the old schema.
      const input = driver.createInputTopic(
        'payments',
        S,
        AvroSerdes.value(PaymentV1, { registry: registry.client() }),
      );
      await input.pipeRecordListAsync([
        { key: 'a', value: { card: 'c1', cents: 100 }, timestamp: 1 },
        { key: 'b', value: { card: 'c2', cents: 250 }, timestamp: 2 },
      ]);
      const out = driver.createOutputTopic('payments-v2', S, AvroSerdes.value(PaymentV2, { registry: app }));
      expect(out.readKeyValuesToList()).toEqual([
        { key: 'a', value: { card: 'c1', cents: 200, country: 'NL' } },
        { key: 'b', value: { card: 'c2', cents: 500, country: 'NL' } },
      ]);
      expect(driver.createOutputTopic('per-country', S, Serdes.Int64()).readKeyValuesToList()).toEqual([
        { key: 'NL', value: 1 },
        { key: 'NL', value: 2 },
      ]);
      expect(registry.version('payments-value', 'latest').schema).toBe(JSON.stringify(PaymentV1));
      expect(registry.version('payments-v2-value', 'latest').schema).toBe(JSON.stringify(PaymentV2));
      expect(registry.version('test-driver-app-per-country-repartition-value', 'latest').version).toBe(1);
      // A second batch needs no registry request: ids and resolvers are cached.
      const before = registry.requests;
      await input.pipeRecordListAsync([{ key: 'c', value: { card: 'c3', cents: 1 }, timestamp: 3 }]);
      expect(registry.requests).toBe(before);
      expect(out.readValuesToList()).toEqual([{ card: 'c3', cents: 2, country: 'NL' }]);
    } finally {
      driver.close();
    }
  });

  it('without the async pipe, an Avro serde says what to await', () => {
    const registry = new InMemorySchemaRegistry();
    const builder = new StreamsBuilder();
    builder
      .stream('payments', Consumed.with(S, AvroSerdes.value(PaymentV2, { registry: registry.client() })))
      .to('out', Produced.with(S, AvroSerdes.value(PaymentV2, { registry: registry.client() })));
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic(
        'payments',
        S,
        AvroSerdes.value(PaymentV2, { registry: registry.client() }),
      );
      expect(() => input.pipeInput('a', { card: 'c', cents: 1, country: 'BE' })).toThrow(SerializationError);
      expect(() => input.pipeInput('a', { card: 'c', cents: 1, country: 'BE' })).toThrow(
        /no schema id for topic 'payments' \(subject 'payments-value'\) yet/,
      );
    } finally {
      driver.close();
    }
  });

  it('fails a corrupt record with a SerializationError naming topic, partition, offset, schema id and subject', async () => {
    const registry = new InMemorySchemaRegistry();
    const app = registry.client();
    const builder = new StreamsBuilder();
    builder
      .stream('payments', Consumed.with(S, AvroSerdes.value(PaymentV2, { registry: app })))
      .to('out', Produced.with(S, AvroSerdes.value(PaymentV2, { registry: app })));
    const driver = new TopologyTestDriver(builder.build());
    try {
      const writer = AvroSerdes.value(PaymentV1, { registry: registry.client() });
      await writer.prepareWrite('payments');
      const good = writer.serialize('payments', { card: 'c1', cents: 5 });
      const raw = driver.createInputTopic('payments', S, Serdes.Bytes());
      await raw.pipeRecordListAsync([{ key: 'a', value: good }]);
      const truncated = good.subarray(0, good.length - 1);
      let error: unknown;
      try {
        await raw.pipeRecordListAsync([{ key: 'b', value: truncated }]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SerializationError);
      expect((error as Error).message).toMatch(
        /topic 'payments' partition 0 offset 1 .*written with schema id 1 \(subject 'payments-value'\): the body is truncated/,
      );
      expect(
        driver.createOutputTopic('out', S, AvroSerdes.value(PaymentV2, { registry: app })).readValuesToList(),
      ).toEqual([{ card: 'c1', cents: 5, country: 'NL' }]);
    } finally {
      driver.close();
    }
  });

  it('re-groups a table of Avro values (Avro in its store, its changelog and the repartition topic)', async () => {
    const registry = new InMemorySchemaRegistry();
    const app = registry.client();
    const payment = () => AvroSerdes.value(PaymentV2, { registry: app });
    const builder = new StreamsBuilder();
    builder
      .table('cards', Consumed.with(S, payment()))
      .groupBy((_card, p) => ({ key: p.country, value: p }), Grouped.with(S, payment()))
      .aggregate(
        () => 0,
        (_country, p, total) => total + p.cents,
        (_country, p, total) => total - p.cents,
        Materialized.as<string, number>('totals').withValueSerde(Serdes.Int64()),
      )
      .toStream()
      .to('totals', Produced.with(S, Serdes.Int64()));
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic(
        'cards',
        S,
        AvroSerdes.value(PaymentV2, { registry: registry.client() }),
      );
      await input.pipeRecordListAsync([
        { key: 'c1', value: { card: 'c1', cents: 100, country: 'NL' }, timestamp: 1 },
        { key: 'c2', value: { card: 'c2', cents: 50, country: 'NL' }, timestamp: 2 },
        { key: 'c1', value: { card: 'c1', cents: 30, country: 'BE' }, timestamp: 3 },
      ]);
      expect(driver.createOutputTopic('totals', S, Serdes.Int64()).readKeyValuesToList()).toEqual([
        { key: 'NL', value: 100 },
        { key: 'NL', value: 150 },
        { key: 'NL', value: 50 },
        { key: 'BE', value: 30 },
      ]);
      // The source table's store writes Avro to its changelog subject, registered before the batch.
      expect(
        registry.version('test-driver-app-cards-STATE-STORE-0000000000-changelog-value', 1).version,
      ).toBe(1);
    } finally {
      driver.close();
    }
  });
});
