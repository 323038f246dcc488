// The quick-start demo: starts a local Kafka, produces orders, runs a consume-transform-produce loop that
// flags large orders and converts amounts to cents, then prints what arrived. Stops the broker at the end.
// (A later release replaces this with the fraud-detection pipeline written in the Tributary DSL.)
import { Headers } from '@tributary/core';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import { KafkaCluster } from '@tributary/kafka-local';

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amount: number;
}

interface ScoredOrder {
  readonly id: number;
  readonly customer: string;
  readonly cents: number;
  readonly flagged: boolean;
}

const ORDERS = 20_000;
const CUSTOMERS = ['ada', 'brian', 'chen', 'dana', 'eve', 'farid', 'grace', 'hugo'];
const FLAG_ABOVE = 900;
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
    const amount = ((seed >>> 8) % 100_000) / 100;
    yield { id, customer, amount };
  }
}

async function produceOrders(servers: string): Promise<void> {
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 5 });
  let sent = 0;
  for (const order of orders()) {
    await producer.sendAll([
      {
        topic: 'orders',
        key: Buffer.from(order.customer),
        value: Buffer.from(JSON.stringify(order)),
        timestamp: Date.now(),
        headers: new Headers(),
      },
    ]);
    if (++sent % 100 === 0) progress('produced', sent, ORDERS);
  }
  await producer.flush();
  await producer.close();
}

/** Reads `orders` as a consumer group, transforms each order, writes `scored-orders`, commits after each batch. */
async function transform(servers: string): Promise<void> {
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': 'demo-scorer',
    'auto.offset.reset': 'earliest',
  });
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 5 });
  consumer.subscribe(['orders']);
  let processed = 0;
  while (processed < ORDERS) {
    const batch = await consumer.poll(2_000, 500);
    const next = new Map<string, { topic: string; partition: number; offset: number }>();
    for (const record of batch) {
      const order = JSON.parse(record.value!.toString()) as Order;
      const scored: ScoredOrder = {
        id: order.id,
        customer: order.customer,
        cents: Math.round(order.amount * 100),
        flagged: order.amount > FLAG_ABOVE,
      };
      await producer.sendAll([
        {
          topic: 'scored-orders',
          key: record.key,
          value: Buffer.from(JSON.stringify(scored)),
          timestamp: record.timestamp,
          headers: record.headers,
        },
      ]);
      next.set(`${record.topic}-${record.partition}`, {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset + 1,
      });
    }
    // At-least-once: outputs acknowledged before the input offsets are committed.
    await producer.flush();
    await consumer.commit([...next.values()]);
    processed += batch.length;
    if (batch.length > 0) progress('transformed', processed, ORDERS);
  }
  await producer.close();
  await consumer.close();
}

async function summarise(servers: string): Promise<void> {
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': 'demo-reader',
    'auto.offset.reset': 'earliest',
  });
  consumer.subscribe(['scored-orders']);
  const totals = new Map<string, { orders: number; cents: number; flagged: number }>();
  let read = 0;
  while (read < ORDERS) {
    for (const record of await consumer.poll(5_000, 500)) {
      const order = JSON.parse(record.value!.toString()) as ScoredOrder;
      const total = totals.get(order.customer) ?? { orders: 0, cents: 0, flagged: 0 };
      total.orders++;
      total.cents += order.cents;
      if (order.flagged) total.flagged++;
      totals.set(order.customer, total);
      read++;
    }
  }
  await consumer.close();
  console.log('\n  customer   orders      total ($)   flagged > $%d', FLAG_ABOVE);
  for (const [customer, t] of [...totals].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(
      `  ${customer.padEnd(8)} ${String(t.orders).padStart(8)} ${(t.cents / 100).toFixed(2).padStart(14)} ${String(t.flagged).padStart(9)}`,
    );
  }
  const all = [...totals.values()];
  console.log(
    `  ${'all'.padEnd(8)} ${String(read).padStart(8)} ${(all.reduce((s, t) => s + t.cents, 0) / 100).toFixed(2).padStart(14)} ${String(all.reduce((s, t) => s + t.flagged, 0)).padStart(9)}`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('Tributary demo: orders → score (consume-transform-produce) → scored-orders\n');
  const cluster = await KafkaCluster.start({ onProgress: (m) => console.log(`  ${m}`) });
  process.once('SIGINT', () => void cluster.stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cluster.stop().then(() => process.exit(143)));
  try {
    const admin = KafkaAdmin.create({ 'bootstrap.servers': cluster.bootstrapServers });
    await admin.createTopics([
      { name: 'orders', partitions: 4 },
      { name: 'scored-orders', partitions: 4 },
    ]);
    admin.close();
    await produceOrders(cluster.bootstrapServers);
    await transform(cluster.bootstrapServers);
    await summarise(cluster.bootstrapServers);
  } finally {
    await cluster.stop();
    console.log(`\n  broker stopped; demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

await main();
