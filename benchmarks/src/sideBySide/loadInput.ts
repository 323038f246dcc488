import { Headers, type ProducerRecord } from '@tributary/core';
import { KafkaAdmin, KafkaProducer } from '@tributary/kafka';
import {
  type BenchInput,
  inputValueOf,
  keyIndex,
  keyName,
  sentinelKey,
  sentinelTimestamp,
  tableTimestamp,
  tableValueOf,
  timestampOf,
} from './benchInput.js';

const CHUNK = 50_000;

async function produce(
  servers: string,
  count: number,
  record: (i: number) => ProducerRecord,
  progress: (done: number) => void,
): Promise<void> {
  const producer = await KafkaProducer.connect({
    'bootstrap.servers': servers,
    'linger.ms': 20,
    'batch.size': 1_000_000,
    'compression.type': 'none',
  });
  try {
    for (let from = 0; from < count; from += CHUNK) {
      const batch: ProducerRecord[] = [];
      for (let i = from; i < Math.min(count, from + CHUNK); i++) batch.push(record(i));
      await producer.sendAll(batch);
      progress(Math.min(count, from + CHUNK));
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
}

/** Creates the input and table topics and writes the input (then one sentinel per partition) and the table. */
export async function loadInput(
  servers: string,
  input: BenchInput,
  topics: { input: string; table: string },
  log: (message: string) => void,
): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    await admin.createTopics([
      { name: topics.input, partitions: input.partitions },
      { name: topics.table, partitions: input.partitions },
    ]);
  } finally {
    admin.close();
  }
  const headers = new Headers();
  let lastLog = 0;
  const every = (label: string, total: number) => (done: number) => {
    if (done === total || Date.now() - lastLog > 2_000) {
      log(`  loading ${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
      lastLog = Date.now();
    }
  };
  await produce(
    servers,
    input.records + input.partitions,
    (i) => {
      if (i >= input.records) {
        const partition = i - input.records;
        return {
          topic: topics.input,
          partition,
          key: Buffer.from(sentinelKey(partition)),
          value: Buffer.from(inputValueOf(i)),
          timestamp: sentinelTimestamp(input),
          headers,
        };
      }
      const k = keyIndex(input, i);
      return {
        topic: topics.input,
        partition: k % input.partitions,
        key: Buffer.from(keyName(k)),
        value: Buffer.from(inputValueOf(i)),
        timestamp: timestampOf(input, i),
        headers,
      };
    },
    every('input', input.records + input.partitions),
  );
  await produce(
    servers,
    input.tableRows,
    (row) => ({
      topic: topics.table,
      partition: row % input.partitions,
      key: Buffer.from(keyName(row)),
      value: Buffer.from(tableValueOf(row)),
      timestamp: tableTimestamp(input),
      headers,
    }),
    every('table', input.tableRows),
  );
}
