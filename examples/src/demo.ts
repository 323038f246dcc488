// The quick-start demo: starts a local Kafka, produces orders, and runs a Tributary topology on it with
// exactly-once processing: large orders are flagged to one topic, per-customer totals are aggregated into a
// table kept in RocksDB (written to disk only after each Kafka commit) and written to another topic. Prints the topology, a live count and the results, then stops everything.
// (A later release replaces this with the fraud-detection pipeline.)
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';
import {
  Consumed,
  Grouped,
  Headers,
  KafkaStreams,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '@tributary/streams';

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amount: number;
}

interface CustomerTotal {
  readonly orders: number;
  readonly cents: number;
  readonly large: number;
}

const ORDERS = 20_000;
const CUSTOMERS = ['ada', 'brian', 'chen', 'dana', 'eve', 'farid', 'grace', 'hugo'];
const LARGE = 900;
const live = process.stdout.isTTY;
let lastPrinted = 0;

/** A live count: rewritten in place on a terminal, a line every half second otherwise. */
function progress(label: string, done: number, total: number): void {
  const line = `  ${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
  if (live) {
    process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
  } else if (done === total || Date.now() - lastPrinted > 500) {
    console.log(line);
    lastPrinted = Date.now();
  }
}

/** A deterministic order stream (a small LCG), so every run prints the same totals. */
function* orders(): Generator<Order> {
  let seed = 42;
  for (let id = 0; id < ORDERS; id++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const customer = CUSTOMERS[(seed >>> 16) % CUSTOMERS.length]!;
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield { id, customer, amount: ((seed >>> 8) % 100_000) / 100 };
  }
}

/** The pipeline, in the Tributary DSL. */
function pipeline(): Topology {
  const builder = new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers });
  const orderStream = builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()));
  orderStream
    .filter((_customer, order) => order.amount > LARGE)
    .mapValues((order) => ({ ...order, flagged: `amount ${order.amount} > ${LARGE}` }))
    .to('large-orders', Produced.with(Serdes.String(), Serdes.Json()));
  orderStream
    .groupByKey(Grouped.with(Serdes.String(), Serdes.Json<Order>()))
    .aggregate<CustomerTotal>(
      () => ({ orders: 0, cents: 0, large: 0 }),
      (_customer, order, total) => ({
        orders: total.orders + 1,
        cents: total.cents + Math.round(order.amount * 100),
        large: total.large + (order.amount > LARGE ? 1 : 0),
      }),
      Materialized.as<string, CustomerTotal>('customer-totals-store').withValueSerde(
        Serdes.Json<CustomerTotal>(),
      ),
    )
    .toStream()
    .to('customer-totals', Produced.with(Serdes.String(), Serdes.Json<CustomerTotal>()));
  return builder.build();
}

async function produceOrders(servers: string): Promise<void> {
  const producer = await KafkaProducer.connect({
    'bootstrap.servers': servers,
    'linger.ms': 5,
    partitioner: 'murmur2_random',
  });
  const batch = [];
  let sent = 0;
  for (const order of orders()) {
    batch.push({
      topic: 'orders',
      key: Buffer.from(order.customer),
      value: Buffer.from(JSON.stringify(order)),
      timestamp: Date.now(),
      headers: new Headers(),
    });
    if (batch.length === 1_000) {
      await producer.sendAll(batch.splice(0));
      sent += 1_000;
      progress('orders produced', sent, ORDERS);
    }
  }
  await producer.flush();
  await producer.close();
}

/** Follows the committed totals table until it accounts for every order; returns the last total per customer. */
async function followTotals(servers: string): Promise<Map<string, CustomerTotal>> {
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': `demo-reader-${randomUUID()}`,
    'auto.offset.reset': 'earliest',
    'isolation.level': 'read_committed',
  });
  consumer.subscribe(['customer-totals']);
  const totals = new Map<string, CustomerTotal>();
  let counted = 0;
  const deadline = Date.now() + 120_000;
  while (counted < ORDERS) {
    if (Date.now() > deadline)
      throw new Error(`only ${counted} of ${ORDERS} orders were aggregated in 2 minutes`);
    for (const record of await consumer.poll(5_000, 200)) {
      totals.set(record.key!.toString(), JSON.parse(record.value!.toString()) as CustomerTotal);
    }
    counted = [...totals.values()].reduce((sum, t) => sum + t.orders, 0);
    progress('orders aggregated (committed)', counted, ORDERS);
  }
  await consumer.close();
  return totals;
}

function printTotals(totals: Map<string, CustomerTotal>): void {
  console.log(`\n  customer   orders      total ($)   large (> $${LARGE})`);
  const row = (name: string, t: CustomerTotal) =>
    `  ${name.padEnd(8)} ${String(t.orders).padStart(8)} ${(t.cents / 100).toFixed(2).padStart(14)} ${String(t.large).padStart(10)}`;
  for (const [customer, t] of [...totals].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(row(customer, t));
  const all = [...totals.values()].reduce(
    (sum, t) => ({ orders: sum.orders + t.orders, cents: sum.cents + t.cents, large: sum.large + t.large }),
    { orders: 0, cents: 0, large: 0 },
  );
  console.log(row('all', all));
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('Tributary demo: orders → [flag large orders | total per customer] on Kafka, exactly once\n');
  const cluster = await KafkaCluster.start({ onProgress: (m) => console.log(`  ${m}`) });
  let streams: KafkaStreams | undefined;
  const stateDir = join(tmpdir(), `tributary-demo-${randomUUID()}`);
  const stop = async (code: number) => {
    await streams?.close({ timeoutMs: 10_000 });
    await cluster.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));
  try {
    const servers = cluster.bootstrapServers;
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    await admin.createTopics(
      ['orders', 'large-orders', 'customer-totals'].map((name) => ({ name, partitions: 4 })),
    );
    admin.close();

    const topology = pipeline();
    console.log(`\n${topology.describe().toString()}`);
    await produceOrders(servers);

    const applicationId = 'tributary-demo';
    streams = new KafkaStreams(topology, {
      'application.id': applicationId,
      'bootstrap.servers': servers,
      'processing.guarantee': 'exactly_once_v2',
      'state.dir': stateDir,
    });
    console.log(`  state: RocksDB under ${stateDir}/${applicationId}/<task>/rocksdb/customer-totals-store`);
    streams.state$.subscribe((state) => console.log(`  KafkaStreams: ${state}`));
    await streams.start();
    const totals = await followTotals(servers);
    printTotals(totals);
    console.log(
      `\n  flagged large orders: ${[...totals.values()].reduce((n, t) => n + t.large, 0)} (topic large-orders)`,
    );
  } finally {
    await streams?.close();
    rmSync(stateDir, { recursive: true, force: true });
    await cluster.stop();
    console.log(`\n  broker stopped; demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

await main();
