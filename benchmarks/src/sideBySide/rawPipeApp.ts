import { createRequire } from 'node:module';
import type * as RdKafka from '@confluentinc/kafka-javascript';

/**
 * The client's ceiling for P1: filter + upper-case written straight on @confluentinc/kafka-javascript for speed
 * (batches of up to 10,000 records per consume call, bytes upper-cased in place, produce to the same partition,
 * no Promise or object per record), committing every 100 ms: after a flush (at_least_once) or in a transaction
 * with the offsets (exactly_once_v2). Configured by BENCH_* variables like tributaryApp; prints RUNNING.
 */
const rdkafka = createRequire(import.meta.url)('@confluentinc/kafka-javascript') as typeof RdKafka;

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`rawPipeApp needs the environment variable ${name}`);
  return value;
}

const servers = env('BENCH_BOOTSTRAP');
const group = env('BENCH_APP_ID');
const input = env('BENCH_INPUT');
const output = env('BENCH_OUTPUT');
const exactlyOnce = env('BENCH_GUARANTEE') === 'exactly_once_v2';
const COMMIT_INTERVAL_MS = 100;
const HASH = 0x23;

const done = (resolve: () => void, reject: (e: unknown) => void) => (error: unknown) =>
  error ? reject(error) : resolve();
const call = (f: (cb: (error: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => f(done(resolve, reject)));

const consumer = new rdkafka.KafkaConsumer(
  {
    'bootstrap.servers': servers,
    'group.id': group,
    'enable.auto.commit': false,
    'partition.assignment.strategy': 'range',
  },
  { 'auto.offset.reset': 'earliest' },
);
const producer = new rdkafka.Producer({
  'bootstrap.servers': servers,
  'linger.ms': 5,
  'enable.idempotence': true,
  'queue.buffering.max.messages': 1_000_000,
  ...(exactlyOnce ? { 'transactional.id': `${group}-raw` } : {}),
});

await call((cb) => consumer.connect({ timeout: 30_000 }, (e) => cb(e)));
await call((cb) => producer.connect({ timeout: 30_000 }, (e) => cb(e)));
if (exactlyOnce) {
  await call((cb) => producer.initTransactions(30_000, cb));
  await call((cb) => producer.beginTransaction(cb));
}
consumer.setDefaultConsumeTimeout(100);
(
  consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(on: boolean): void }
).setDefaultIsTimeoutOnlyForFirstMessage(true);
consumer.subscribe([input]);
process.stdout.write('RUNNING\n');

const next = new Map<number, number>(); // partition → next offset to commit
let lastCommit = Date.now();
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

function offsets(): RdKafka.TopicPartitionOffset[] {
  return [...next].map(([partition, offset]) => ({ topic: input, partition, offset }));
}

async function commit(): Promise<void> {
  if (next.size === 0) return;
  if (exactlyOnce) {
    await call((cb) => producer.sendOffsetsToTransaction(offsets(), consumer, 30_000, cb));
    await call((cb) => producer.commitTransaction(30_000, cb));
    await call((cb) => producer.beginTransaction(cb));
  } else {
    await call((cb) => producer.flush(30_000, cb));
    consumer.commitSync(offsets());
  }
}

function produce(
  value: Buffer,
  key: RdKafka.MessageKey,
  partition: number,
  timestamp: number | undefined,
): void {
  for (;;) {
    try {
      producer.produce(output, partition, value, key, timestamp);
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== rdkafka.CODES.ERRORS.ERR__QUEUE_FULL) throw error;
      producer.poll();
    }
  }
}

while (!stopping) {
  const batch = await new Promise<RdKafka.Message[]>((resolve, reject) =>
    consumer.consume(10_000, (error, messages) => (error ? reject(error) : resolve(messages))),
  );
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i]!;
    const value = m.value;
    if (value !== null && value[0] !== HASH) {
      const upper = Buffer.allocUnsafe(value.length);
      for (let b = 0; b < value.length; b++) {
        const c = value[b]!;
        upper[b] = c >= 97 && c <= 122 ? c - 32 : c;
      }
      produce(upper, m.key, m.partition, m.timestamp);
    }
    next.set(m.partition, m.offset + 1);
  }
  if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
    await commit();
    lastCommit = Date.now();
  }
}
consumer.disconnect();
producer.disconnect();
