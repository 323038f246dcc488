import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AvroSerdes,
  type AvroValue,
  HttpSchemaRegistryClient,
  InMemorySchemaRegistry,
} from '@tributary/avro';
import { Headers, type Serde } from '@tributary/core';
import { KafkaAdmin, KafkaProducer } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '@tributary/streams';
import { generatedBy, writeReport } from './benchmarkReport.js';
import { renderBarChartPng } from './renderBarChartPng.js';

/**
 * Avro against JSON values, for a 10-field transaction record:
 * 1. in-process: serialize and deserialize records/s of each serde (best of 3 alternating rounds);
 * 2. on Kafka: the stateless filter + mapValues topology of kafkaThroughputBenchmark (at_least_once, 8
 *    partitions), its values Avro (with a real schema registry) or JSON, in the same run.
 * Reports only. Usage: node benchmarks/dist/avroBenchmarkMain.js [in-process records=1000000] [kafka records=500000]
 * (KAFKA_BOOTSTRAP and SCHEMA_REGISTRY_URL to use running ones instead of starting them).
 */
const IN_PROCESS = Number(process.argv[2] ?? 1_000_000);
const ON_KAFKA = Number(process.argv[3] ?? 500_000);
const PARTITIONS = 8;

const Transaction = {
  type: 'record',
  name: 'Transaction',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'card', type: 'string' },
    { name: 'merchant', type: 'string' },
    {
      name: 'category',
      type: { type: 'enum', name: 'Category', symbols: ['GROCERY', 'TRAVEL', 'FUEL', 'ONLINE'] },
    },
    { name: 'country', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'currency', type: 'string' },
    { name: 'timestamp', type: 'long' },
    { name: 'online', type: 'boolean' },
    { name: 'risk', type: 'int' },
  ],
} as const;
type Transaction = AvroValue<typeof Transaction>;

const CATEGORIES = ['GROCERY', 'TRAVEL', 'FUEL', 'ONLINE'] as const;
const COUNTRIES = ['NL', 'DE', 'FR', 'BE', 'US', 'GB', 'ES', 'IT'];

function transaction(i: number): Transaction {
  return {
    id: `tx-${String(i).padStart(10, '0')}`,
    card: `card-${(i * 7919) % 100_000}`,
    merchant: `merchant-${(i * 31) % 5_000}`,
    category: CATEGORIES[i % 4]!,
    country: COUNTRIES[i % COUNTRIES.length]!,
    amount: Math.round(((i * 37) % 100_000) + 1) / 100,
    currency: 'EUR',
    timestamp: 1_700_000_000_000 + i * 13,
    online: i % 3 === 0,
    risk: i % 100,
  };
}

const log = (message: string) => process.stdout.write(`${message}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface SerdeResult {
  readonly name: string;
  readonly serializePerSecond: number;
  readonly deserializePerSecond: number;
  readonly bytesPerRecord: number;
}

function measureSerde(name: string, serde: Serde<Transaction>, rounds: number): SerdeResult {
  const distinct = 10_000;
  const values = Array.from({ length: distinct }, (_, i) => transaction(i));
  const buffers: Buffer[] = new Array(distinct);
  let bestSer = 0;
  let bestDe = 0;
  let bytes = 0;
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    for (let i = 0; i < IN_PROCESS; i++) buffers[i % distinct] = serde.serialize('tx', values[i % distinct]!);
    bestSer = Math.max(bestSer, IN_PROCESS / ((performance.now() - started) / 1000));
    let sink = 0;
    started = performance.now();
    for (let i = 0; i < IN_PROCESS; i++) sink += serde.deserialize('tx', buffers[i % distinct]!).risk;
    bestDe = Math.max(bestDe, IN_PROCESS / ((performance.now() - started) / 1000));
    if (sink < 0) log('impossible');
    bytes = buffers.reduce((sum, b) => sum + b.length, 0) / distinct;
  }
  return { name, serializePerSecond: bestSer, deserializePerSecond: bestDe, bytesPerRecord: bytes };
}

async function inProcess(): Promise<SerdeResult[]> {
  const registry = new InMemorySchemaRegistry();
  const avro = AvroSerdes.value(Transaction, { registry: registry.client() });
  await avro.prepareWrite('tx');
  const json = Serdes.Json<Transaction>();
  const results = { avro: [] as SerdeResult[], json: [] as SerdeResult[] };
  // Alternating rounds, so neither serde gets a quieter machine than the other.
  for (let round = 0; round < 3; round++) {
    results.json.push(measureSerde('JSON', json, 1));
    results.avro.push(measureSerde('Avro (Confluent wire format)', avro, 1));
  }
  const best = (list: SerdeResult[]): SerdeResult => ({
    name: list[0]!.name,
    serializePerSecond: Math.max(...list.map((r) => r.serializePerSecond)),
    deserializePerSecond: Math.max(...list.map((r) => r.deserializePerSecond)),
    bytesPerRecord: list[0]!.bytesPerRecord,
  });
  return [best(results.json), best(results.avro)];
}

interface KafkaResult {
  readonly name: string;
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

async function produce(servers: string, topic: string, serde: Serde<Transaction>): Promise<void> {
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 20 });
  const chunk = 50_000;
  for (let from = 0; from < ON_KAFKA; from += chunk) {
    const records = [];
    for (let i = from; i < Math.min(ON_KAFKA, from + chunk); i++) {
      const tx = transaction(i);
      records.push({
        topic,
        key: Buffer.from(tx.card),
        value: serde.serialize(topic, tx),
        timestamp: Date.now(),
        headers: new Headers(),
      });
    }
    await producer.sendAll(records);
  }
  await producer.flush();
  await producer.close();
}

async function runTopology(
  servers: string,
  name: string,
  input: string,
  output: string,
  serde: () => Serde<Transaction>,
): Promise<KafkaResult> {
  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.String(), serde()))
    .filter((_card, tx) => tx.amount > 0)
    .mapValues((tx) => ({ ...tx, risk: tx.online ? tx.risk + 10 : tx.risk }))
    .to(output, Produced.with(Serdes.String(), serde()));
  const applicationId = `bench-avro-${randomUUID().slice(0, 8)}`;
  const started = performance.now();
  const streams = new KafkaStreams(builder.build(), {
    'application.id': applicationId,
    'bootstrap.servers': servers,
    'processing.guarantee': 'at_least_once',
    'commit.interval.ms': 1_000,
    'state.dir': join(tmpdir(), applicationId),
  });
  await streams.start();
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  let lastLog = 0;
  try {
    for (;;) {
      const done = (await admin.endOffsets(output, 'read_uncommitted')).reduce((a, b) => a + b, 0);
      if (done >= ON_KAFKA) break;
      if (Date.now() - lastLog > 2_000) {
        log(`  ${name}: ${fmt(done)} / ${fmt(ON_KAFKA)}`);
        lastLog = Date.now();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    admin.close();
  }
  const seconds = (performance.now() - started) / 1000;
  await streams.close();
  rmSync(join(tmpdir(), applicationId), { recursive: true, force: true });
  return { name, seconds, recordsPerSecond: ON_KAFKA / seconds };
}

async function onKafka(): Promise<KafkaResult[]> {
  const external = process.env.KAFKA_BOOTSTRAP;
  const cluster = external
    ? undefined
    : await KafkaCluster.start({
        schemaRegistry: process.env.SCHEMA_REGISTRY_URL === undefined,
        onProgress: (m) => log(`  ${m}`),
      });
  try {
    const servers = external ?? cluster!.bootstrapServers;
    const url = process.env.SCHEMA_REGISTRY_URL ?? cluster!.schemaRegistryUrl!;
    const run = randomUUID().slice(0, 8);
    const topics = ['json-in', 'json-out', 'avro-in', 'avro-out'].map((t) => `bench-${t}-${run}`);
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    await admin.createTopics(topics.map((name) => ({ name, partitions: PARTITIONS })));
    admin.close();
    const [jsonIn, jsonOut, avroIn, avroOut] = topics as [string, string, string, string];
    const producerSerde = AvroSerdes.value(Transaction, { registry: new HttpSchemaRegistryClient({ url }) });
    await producerSerde.prepareWrite(avroIn);
    log('producing the inputs');
    await produce(servers, jsonIn, Serdes.Json<Transaction>());
    await produce(servers, avroIn, producerSerde);
    // One registry client per application, shared by its serdes.
    const app = new HttpSchemaRegistryClient({ url });
    const json = await runTopology(servers, 'JSON values', jsonIn, jsonOut, () => Serdes.Json<Transaction>());
    const avro = await runTopology(servers, 'Avro values (schema registry)', avroIn, avroOut, () =>
      AvroSerdes.value(Transaction, { registry: app }),
    );
    return [json, avro];
  } finally {
    await cluster?.stop();
  }
}

async function main(): Promise<void> {
  log(`Avro vs JSON: ${fmt(IN_PROCESS)} records in-process, ${fmt(ON_KAFKA)} on Kafka`);
  const serdes = await inProcess();
  for (const r of serdes) {
    log(
      `  ${r.name}: serialize ${fmt(r.serializePerSecond)}/s, deserialize ${fmt(r.deserializePerSecond)}/s`,
    );
  }
  const kafka = ON_KAFKA > 0 ? await onKafka() : [];
  const [json, avro] = serdes as [SerdeResult, SerdeResult];
  const markdown = [
    '# Avro against JSON values',
    '',
    generatedBy('avroBenchmarkMain.ts', 'one kafka-local broker and Apicurio Registry on the same machine'),
    '',
    'A 10-field transaction record (4 strings of 10–20 characters, an enum, a double, a long, a boolean, an int',
    'and the currency). Avro is `AvroSerdes.value` in the Confluent wire format (5-byte header, schema id',
    'resolved beforehand); JSON is `Serdes.Json()`. Report only.',
    '',
    `## In-process (${fmt(IN_PROCESS)} records, best of 3 alternating rounds)`,
    '',
    '| serde | serialize records/s | deserialize records/s | bytes per record |',
    '|---|---:|---:|---:|',
    ...serdes.map(
      (r) =>
        `| ${r.name} | ${fmt(r.serializePerSecond)} | ${fmt(r.deserializePerSecond)} | ${r.bytesPerRecord.toFixed(1)} |`,
    ),
    '',
    `Avro/JSON: serialize ${(avro.serializePerSecond / json.serializePerSecond).toFixed(2)}×, deserialize ` +
      `${(avro.deserializePerSecond / json.deserializePerSecond).toFixed(2)}×, size ` +
      `${(avro.bytesPerRecord / json.bytesPerRecord).toFixed(2)}×.`,
    '',
    `## On Kafka (${fmt(ON_KAFKA)} records, ${PARTITIONS} partitions, at_least_once)`,
    '',
    'The stateless `filter` + `mapValues` topology, keyed by card, reading and writing the record with each',
    'serde, in the same run on the same broker. Times include joining the group.',
    '',
    '| values | seconds | records/s |',
    '|---|---:|---:|',
    ...kafka.map((r) => `| ${r.name} | ${r.seconds.toFixed(1)} | ${fmt(r.recordsPerSecond)} |`),
    '',
    '![Avro vs JSON](avro.png)',
    '',
  ].join('\n');
  writeReport('avro', markdown, {
    file: 'avro.png',
    png: renderBarChartPng('Avro vs JSON values, 10-field record', 'rec/s', [
      { label: 'JSON serialize (in-process)', value: json.serializePerSecond },
      { label: 'Avro serialize (in-process)', value: avro.serializePerSecond },
      { label: 'JSON deserialize (in-process)', value: json.deserializePerSecond },
      { label: 'Avro deserialize (in-process)', value: avro.deserializePerSecond },
      ...kafka.map((r) => ({
        label: `Kafka, ${r.name.replace(' (schema registry)', '')}`,
        value: r.recordsPerSecond,
      })),
    ]),
  });
}

await main();
