import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Consumed,
  KafkaStreams,
  type KafkaStreamsState,
  Materialized,
  Produced,
  RocksDBDslStoreSuppliers,
  Serdes,
  StreamsBuilder,
} from '@tributary/streams';
import { FakeKafka } from './FakeKafka.js';

export const INPUT = 'in';
export const OUTPUT = 'out';
export const PARTITIONS = 2;

export interface CountingApp {
  readonly kafka: FakeKafka;
  readonly streams: KafkaStreams;
  readonly states: KafkaStreamsState[];
  readonly applicationId: string;
  readonly stateDir: string;
  /** Keys and how many records of each were produced. */
  readonly produced: Map<string, number>;
  produce(count: number): void;
  /** Waits until the committed output holds a count for every produced record. */
  waitForCounts(timeoutMs?: number): Promise<void>;
  /** Every key's committed outputs must be exactly 1, 2, … n: no loss, no duplicate, no gap. */
  expectExactCounts(options?: { prefix?: boolean }): void;
  close(keepState?: boolean): Promise<void>;
}

let apps = 0;

/**
 * A KafkaStreams counting records per key (`counts` store, changelog, caching off: every count is sent) on an
 * in-memory Kafka. `poisonOnce` values make the counting step throw the first time they are seen.
 */
export function countingApp(
  options: {
    guarantee?: 'at_least_once' | 'exactly_once_v2';
    rocksdb?: boolean;
    poisonOnce?: ReadonlySet<string>;
    config?: Record<string, unknown>;
    kafka?: FakeKafka;
    threads?: number;
    /** Another instance of an earlier app (same group, state dir and topics); its produced counts carry on. */
    after?: CountingApp;
  } = {},
): CountingApp {
  const kafka = options.after?.kafka ?? options.kafka ?? new FakeKafka();
  kafka.createTopic(INPUT, PARTITIONS);
  kafka.createTopic(OUTPUT, PARTITIONS);
  const applicationId = options.after?.applicationId ?? `fake-${process.pid}-${++apps}`;
  const stateDir = join(tmpdir(), applicationId);
  const poisoned = new Set<string>();
  const builder = new StreamsBuilder(options.rocksdb ? { dslStoreSuppliers: RocksDBDslStoreSuppliers } : {});
  builder
    .stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
    .peek((_k, v) => {
      if (options.poisonOnce?.has(v) && !poisoned.has(v)) {
        poisoned.add(v);
        throw new Error(`poison record ${v}`);
      }
    })
    .groupByKey()
    .count(Materialized.as<string, number>('counts').withCachingDisabled())
    .toStream()
    .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Int64()));
  const streams = new KafkaStreams(
    builder.build(),
    {
      'application.id': applicationId,
      'bootstrap.servers': 'fake:9092',
      'processing.guarantee': options.guarantee ?? 'exactly_once_v2',
      'state.dir': stateDir,
      'commit.interval.ms': 20,
      'poll.ms': 5,
      'num.stream.threads': options.threads ?? 1,
      ...options.config,
    },
    kafka.supplier(),
  );
  const states: KafkaStreamsState[] = [];
  streams.state$.subscribe((s) => states.push(s));
  const produced = new Map<string, number>(options.after?.produced ?? []);
  let sequence = [...produced.values()].reduce((a, b) => a + b, 0);
  const int64 = Serdes.Int64();
  const committedCounts = () => {
    const counts = new Map<string, number[]>();
    for (const r of kafka.read(OUTPUT, 'read_committed')) {
      const key = r.key!.toString();
      const list = counts.get(key) ?? [];
      list.push(int64.deserialize(OUTPUT, r.value!));
      counts.set(key, list);
    }
    return counts;
  };
  return {
    kafka,
    streams,
    states,
    applicationId,
    stateDir,
    produced,
    produce(count) {
      const records = [];
      for (let i = 0; i < count; i++) {
        const n = sequence++;
        const key = `k${n % 10}`;
        produced.set(key, (produced.get(key) ?? 0) + 1);
        records.push({ key, value: `v${n}`, partition: n % 10 < 5 ? 0 : 1 });
      }
      kafka.produce(INPUT, records);
    },
    async waitForCounts(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = committedCounts();
        let done = true;
        for (const [key, n] of produced) if ((counts.get(key)?.at(-1) ?? 0) < n) done = false;
        if (done) return;
        if (Date.now() > deadline) {
          throw new Error(
            `timed out: committed ${JSON.stringify([...counts].map(([k, v]) => [k, v.at(-1)]))}, ` +
              `produced ${JSON.stringify([...produced])}, state ${streams.state}, error ${String(streams.error)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    expectExactCounts({ prefix = false } = {}) {
      const counts = committedCounts();
      const expected = new Map(
        [...produced].map(([k, n]) => [
          k,
          Array.from({ length: prefix ? (counts.get(k)?.length ?? 0) : n }, (_, i) => i + 1),
        ]),
      );
      if (prefix) for (const k of [...expected.keys()]) if (!counts.has(k)) expected.delete(k);
      const actual = new Map([...counts].map(([k, v]) => [k, v]));
      const sort = (m: Map<string, number[]>) => [...m].sort(([a], [b]) => a.localeCompare(b));
      if (JSON.stringify(sort(actual)) !== JSON.stringify(sort(expected))) {
        throw new Error(
          `counts differ:\n actual   ${JSON.stringify(sort(actual))}\n expected ${JSON.stringify(sort(expected))}`,
        );
      }
    },
    async close(keepState = false) {
      await streams.close();
      if (!keepState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check()` holds (polling every few ms); throws `describe()` after `timeoutMs`. */
export async function until(check: () => boolean, describe: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
