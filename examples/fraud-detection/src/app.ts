#!/usr/bin/env node
// The fraud detection application: one instance of it. Start it twice against the same broker and the two
// processes split the partitions (Kafka's consumer group protocol), each running its share of the tasks.
//
//   node examples/fraud-detection/dist/app.js --bootstrap 127.0.0.1:9092 [--state-dir DIR]
//
// Creates the topics if they are missing; stops cleanly (commits, closes its stores) on Ctrl-C or SIGTERM.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpSchemaRegistryClient } from '@tributary/avro';
import { KafkaStreams } from '@tributary/streams';
import { avroTransactionSerde } from './avroTransactionSerde.js';
import { createFraudTopics, fraudTopics } from './FraudTopics.js';
import { fraudTopology } from './fraudTopology.js';

/** What an instance tells the demo that started it (over the IPC channel, when there is one). */
export type AppMessage =
  | { readonly type: 'state'; readonly state: string }
  | { readonly type: 'tasks'; readonly tasks: readonly string[] }
  | { readonly type: 'error'; readonly message: string };

const USAGE = `usage: node examples/fraud-detection/dist/app.js --bootstrap HOST:PORT [options]
  --bootstrap HOST:PORT     the Kafka cluster (required)
  --application-id ID       consumer group and internal-topic prefix (default fraud-detection)
  --state-dir DIR           where RocksDB stores live (default: a directory of this process, deleted on exit)
  --topic-prefix P         prefix of the topic names (default none: transactions, fraud-alerts, ...)
  --schema-registry URL    transactions are Avro, schemas in this registry (default: JSON transactions)
  --log-level L            error, warn, info (default), debug or silent
  --partitions N            partitions of the topics it creates if they are missing (default 4)`;

const { values } = parseArgs({
  options: {
    bootstrap: { type: 'string' },
    'application-id': { type: 'string', default: 'fraud-detection' },
    'state-dir': { type: 'string' },
    partitions: { type: 'string', default: '4' },
    'topic-prefix': { type: 'string', default: '' },
    'log-level': { type: 'string', default: 'info' },
    'schema-registry': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || !values.bootstrap) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const send = (message: AppMessage): void => {
  if (process.send) process.send(message);
  else if (message.type === 'error') console.error(`fraud-detection: ${message.message}`);
  else
    console.log(
      `fraud-detection: ${message.type === 'state' ? message.state : `tasks ${message.tasks.join(', ')}`}`,
    );
};
const ownStateDir = values['state-dir'] === undefined;
const stateDir = values['state-dir'] ?? join(tmpdir(), `tributary-fraud-${process.pid}`);

const topics = fraudTopics(values['topic-prefix']);
await createFraudTopics(values.bootstrap, topics, Number(values.partitions));
const registryUrl = values['schema-registry'];
const transactionSerde = registryUrl
  ? avroTransactionSerde(new HttpSchemaRegistryClient({ url: registryUrl }))
  : undefined;
const streams = new KafkaStreams(
  fraudTopology({ topics, ...(transactionSerde ? { transactionSerde } : {}) }),
  {
    'application.id': values['application-id'],
    'bootstrap.servers': values.bootstrap,
    'processing.guarantee': 'exactly_once_v2',
    'state.dir': stateDir,
    'log.level': values['log-level'],
    // A transaction it cannot read goes to the dead-letter queue (with the error in its headers); processing goes on.
    'deserialization.exception.handler': 'logAndContinue',
    'errors.dead.letter.queue.topic.name': topics.deadLetters,
  },
);
let lastTasks = '';
streams.state$.subscribe((state) => {
  send({ type: 'state', state });
  if (state === 'RUNNING') {
    const tasks = Object.values(streams.tasksByThread()).flat().sort();
    if (tasks.join() !== lastTasks) send({ type: 'tasks', tasks });
    lastTasks = tasks.join();
  }
});

let stopping: Promise<void> | undefined;
const stop = (code: number): Promise<void> =>
  (stopping ??= (async () => {
    try {
      await streams.close({ timeoutMs: 20_000 });
    } catch (error) {
      send({ type: 'error', message: `close failed: ${(error as Error).message}` });
    }
    try {
      if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    } catch (error) {
      send({ type: 'error', message: `could not delete ${stateDir}: ${(error as Error).message}` });
    }
    process.exit(code);
  })());
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
process.once('disconnect', () => void stop(0)); // the demo that started us is gone

try {
  await streams.start();
} catch (error) {
  send({ type: 'error', message: (error as Error).message });
  await stop(1);
}
streams.state$.subscribe((state) => {
  if (state === 'ERROR') {
    send({ type: 'error', message: String((streams.error as Error | undefined)?.message ?? streams.error) });
    void stop(1);
  }
});
