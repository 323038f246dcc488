import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsumerRecord, Headers } from '@tributary/core';
import { KafkaConsumer, KafkaProducer } from '@tributary/kafka';
import {
  Consumed,
  DeadLetterQueueHeaders as H,
  KafkaStreams,
  Produced,
  Serdes,
  StreamsBuilder,
  type StreamsConfigInput,
} from '@tributary/streams';
import { describe, expect, it } from 'vitest';
import {
  bootstrap,
  createTopic,
  eventually,
  readTopic,
  uniqueTopic,
} from '../../../test/kafkaTestSupport.js';

// Issue 12, "Done when" 1: 100,000 records, 1% malformed values and 0.5% on which the user function throws.
// First with the default (fail) handlers: the instance stops naming the failing record. Then a restart with
// continue handlers and a dead-letter queue, exactly-once: the output holds exactly the good records' results
// and the DLQ exactly the bad records with their provenance, both read with read_committed consumers.

const RECORDS = 100_000;
const PARTITIONS = 4;
const MALFORMED = 1_000;
const THROWING = 500;
/** The first records are all good, so the failing run commits some output before it stops. */
const CLEAN_PREFIX = 20_000;

type Kind = 'good' | 'malformed' | 'throwing';
interface Input {
  readonly i: number;
  readonly kind: Kind;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly partition: number;
  /** The topic is new: record i is the (i / PARTITIONS)th of its partition. */
  readonly offset: number;
}

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes that are not JSON: random bytes, truncated JSON, a truncated Avro record (binary). */
function malformed(i: number, next: () => number): Buffer {
  const variant = i % 3;
  if (variant === 0) {
    const bytes = Buffer.alloc(1 + Math.floor(next() * 40));
    for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(next() * 256);
    bytes[0] = 0xff; // never valid UTF-8, so never valid JSON
    return bytes;
  }
  const json = Buffer.from(JSON.stringify({ i, name: `record ${i}`, tags: ['a', 'b'] }));
  if (variant === 1) return json.subarray(0, 1 + Math.floor(next() * (json.length - 2)));
  // Avro binary of {i: long, name: string}: zigzag varint i, then length-prefixed name, cut short
  const name = Buffer.from(`record ${i}`);
  const avro = Buffer.concat([zigzag(i), zigzag(name.length), name]);
  return avro.subarray(0, Math.max(1, avro.length - 3));
}

function zigzag(n: number): Buffer {
  let z = n * 2;
  const out: number[] = [];
  while (z > 0x7f) {
    out.push((z & 0x7f) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}

function inputs(): Input[] {
  const next = random(12);
  const bad = new Map<number, Kind>();
  while (bad.size < MALFORMED + THROWING) {
    const i = CLEAN_PREFIX + Math.floor(next() * (RECORDS - CLEAN_PREFIX));
    if (!bad.has(i)) bad.set(i, bad.size < MALFORMED ? 'malformed' : 'throwing');
  }
  const records: Input[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const kind = bad.get(i) ?? 'good';
    const value =
      kind === 'malformed'
        ? malformed(i, next)
        : Buffer.from(JSON.stringify(kind === 'throwing' ? { i, fail: true } : { i }));
    if (kind === 'malformed') expect(() => JSON.parse(value.toString('utf8'))).toThrow();
    records.push({
      i,
      kind,
      key: Buffer.from(`k${i}`),
      value,
      partition: i % PARTITIONS,
      offset: Math.floor(i / PARTITIONS),
    });
  }
  return records;
}

async function produce(servers: string, topic: string, records: readonly Input[]): Promise<void> {
  const producer = await KafkaProducer.connect({ 'bootstrap.servers': servers, 'linger.ms': 20 });
  try {
    await producer.sendAll(
      records.map((r) => ({
        topic,
        partition: r.partition,
        key: r.key,
        value: r.value,
        timestamp: 1_000_000 + r.i,
        headers: new Headers(),
      })),
    );
    await producer.flush();
  } finally {
    await producer.close();
  }
}

function topology(input: string, output: string) {
  const builder = new StreamsBuilder();
  builder
    .stream(input, Consumed.with(Serdes.String(), Serdes.Json<{ i: number; fail?: boolean }>()))
    .mapValues((v) => {
      if (v.fail) throw new Error(`refusing record ${v.i}`);
      return { i: v.i, doubled: v.i * 2 };
    })
    .to(output, Produced.with(Serdes.String(), Serdes.Json<{ i: number; doubled: number }>()));
  return builder.build();
}

/** Whether the group committed every input partition to its end (RECORDS / PARTITIONS records each). */
async function committedToEnd(servers: string, applicationId: string, input: string): Promise<boolean> {
  const consumer = await KafkaConsumer.connect({
    'bootstrap.servers': servers,
    'group.id': applicationId,
    'enable.auto.commit': false,
  });
  try {
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: input, partition }));
    const committed = await consumer.committed(partitions);
    return committed.length === PARTITIONS && committed.every((c) => c.offset === RECORDS / PARTITIONS);
  } finally {
    await consumer.close();
  }
}

/** For a failure message: the good records missing from the output, as partition:first-last offset ranges. */
function missingRanges(good: readonly Input[], keys: ReadonlySet<string>): string {
  const ranges: string[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    let start = -1;
    let last = -1;
    for (const r of good) {
      if (r.partition !== p || keys.has(`k${r.i}`)) continue;
      if (start >= 0 && r.offset > last + 4) {
        ranges.push(`${p}:${start}-${last}`);
        start = -1;
      }
      if (start < 0) start = r.offset;
      last = r.offset;
    }
    if (start >= 0) ranges.push(`${p}:${start}-${last}`);
  }
  return `missing good results at ${ranges.join(', ') || 'none'}`;
}

const text = (headers: Headers, key: string) => headers.lastHeader(key)?.value?.toString() ?? null;

describe('exception handlers on Kafka (exactly_once_v2)', () => {
  it('fail handlers stop naming the record; continue handlers then route exactly the bad records to the DLQ', async () => {
    const servers = bootstrap();
    const input = uniqueTopic('eh-in');
    const output = uniqueTopic('eh-out');
    const dlq = uniqueTopic('eh-dlq');
    await createTopic(servers, input, PARTITIONS);
    await createTopic(servers, output, PARTITIONS);
    await createTopic(servers, dlq, 2);
    const records = inputs();
    await produce(servers, input, records);
    const applicationId = `eh-${randomUUID().slice(0, 8)}`;
    const stateDir = join(tmpdir(), applicationId);
    const config: StreamsConfigInput = {
      'application.id': applicationId,
      'bootstrap.servers': servers,
      'processing.guarantee': 'exactly_once_v2',
      'state.dir': stateDir,
      'errors.dead.letter.queue.topic.name': dlq,
    };
    const bad = records.filter((r) => r.kind !== 'good');
    const good = records.filter((r) => r.kind === 'good');
    try {
      // 1. The defaults (logAndFail): the instance stops at the first bad record of some partition.
      const failing = new KafkaStreams(topology(input, output), config);
      await failing.start();
      try {
        await eventually(
          async () => failing.state === 'ERROR',
          60_000,
          () => `state ${failing.state}`,
        );
      } finally {
        await failing.close();
      }
      const message = (failing.error as Error).message;
      const named = /topic '([^']+)' partition (\d+) offset (\d+)/.exec(message);
      expect(named, message).not.toBeNull();
      const [, topic, partition, offset] = named!;
      const firstBad = bad.find((r) => r.partition === Number(partition))!;
      expect([topic, Number(offset)]).toEqual([input, firstBad.offset]);
      expect(message).toContain(
        firstBad.kind === 'malformed' ? 'Could not deserialize the value' : `refusing record ${firstBad.i}`,
      );
      // what it committed: good results only, each once, and nothing in the DLQ (its write was aborted)
      const before = await readTopic(servers, output);
      expect(before.length).toBeLessThan(good.length);
      expect(new Set(before.map((r) => r.key!.toString())).size).toBe(before.length);
      expect(await readTopic(servers, dlq)).toEqual([]);

      // 2. Restart with continue handlers: it resumes where the failed run committed.
      const logged: string[] = [];
      const resumed = new KafkaStreams(topology(input, output), {
        ...config,
        logger: {
          error: () => {},
          warn: (_fields: unknown, message: string) => {
            if (message.includes('skipped a record')) logged.push(message);
          },
          info: () => {},
          debug: () => {},
        },
        'deserialization.exception.handler': 'logAndContinue',
        'processing.exception.handler': 'logAndContinue',
      });
      await resumed.start();
      try {
        await eventually(
          () => committedToEnd(servers, applicationId, input),
          60_000,
          () => `state ${resumed.state}, ${logged.length} skipped records logged`,
        );
        expect(resumed.state).toBe('RUNNING');
      } finally {
        await resumed.close();
      }

      const out = await readTopic(servers, output);
      const results = out.map((r) => `${r.key} ${r.value}`).sort();
      const expected = good.map((r) => `k${r.i} ${JSON.stringify({ i: r.i, doubled: r.i * 2 })}`).sort();
      // each skipped record logged once, naming where it was read
      expect(
        logged.map((m) => /topic '[^']+' partition (\d+) offset (\d+)/.exec(m)?.slice(1).join('@')).sort(),
      ).toEqual(bad.map((r) => `${r.partition}@${r.offset}`).sort());
      expect(results.length, missingRanges(good, new Set(out.map((r) => r.key!.toString())))).toBe(
        good.length,
      );
      expect(results).toEqual(expected);

      const dead = await readTopic(servers, dlq);
      expect(dead.length).toBe(bad.length);
      const byKey = new Map(dead.map((r) => [r.key!.toString(), r]));
      for (const r of bad) {
        const d = byKey.get(`k${r.i}`) as ConsumerRecord;
        expect(d, `k${r.i}`).toBeDefined();
        expect(d.value!.equals(r.value)).toBe(true);
        expect(d.timestamp).toBe(1_000_000 + r.i);
        const provenance = {
          exception: text(d.headers, H.exception),
          topic: text(d.headers, H.topic),
          partition: text(d.headers, H.partition),
          offset: text(d.headers, H.offset),
          processor: text(d.headers, H.processor),
          task: text(d.headers, H.task),
        };
        expect(provenance).toEqual({
          exception: r.kind === 'malformed' ? 'SerializationError' : 'Error',
          topic: input,
          partition: String(r.partition),
          offset: String(r.offset),
          processor: r.kind === 'malformed' ? 'KSTREAM-SOURCE-0000000000' : 'KSTREAM-MAPVALUES-0000000001',
          task: `0_${r.partition}`,
        });
        if (r.kind === 'throwing') expect(text(d.headers, H.message)).toBe(`refusing record ${r.i}`);
        expect(text(d.headers, H.stacktrace)).toMatch(/Error: /);
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});
