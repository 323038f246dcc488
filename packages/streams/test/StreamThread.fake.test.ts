import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValueStore, StateStore, StoreBuilder } from '@tributary/state';
import {
  Consumed,
  InvalidStateStoreError,
  KafkaStreams,
  type ProcessorContext,
  Produced,
  type Record,
  Serdes,
  Stores,
  StreamsBuilder,
  StreamsError,
  type StreamThreadFailure,
} from '@tributary/streams';
import { describe, expect, it } from 'vitest';
import { type CountingApp, countingApp, INPUT, until } from './fakes/countingApp.js';
import { clientError, type FakeConsumer, FakeKafka } from './fakes/FakeKafka.js';

const ALL = [
  { topic: INPUT, partition: 0 },
  { topic: INPUT, partition: 1 },
];

/** The group consumer of the app's newest stream thread. */
function groupConsumer(app: CountingApp): FakeConsumer {
  const consumer = app.kafka.consumers.filter((c) => c.group === app.applicationId).at(-1);
  if (consumer === undefined) throw new Error('no group consumer yet');
  return consumer;
}

/** Runs `app`: produces 200 records, lets it count them, then `act`s, produces 200 more and checks exactness. */
async function scenario(app: CountingApp, act: () => void | Promise<void>): Promise<void> {
  app.produce(200);
  await app.streams.start();
  try {
    await app.waitForCounts();
    await act();
    app.produce(200);
    await app.waitForCounts();
    app.expectExactCounts();
    expect(app.streams.state).toBe('RUNNING');
  } finally {
    await app.close();
  }
}

describe('the stream loop on an in-memory Kafka (exactly_once_v2)', { timeout: 30_000 }, () => {
  it('counts every record exactly once', async () => {
    const app = countingApp();
    await scenario(app, () => {});
    expect(app.kafka.calls.get('abortTransaction') ?? 0).toBe(0);
  });

  it('a producer flush that times out aborts the transaction and redoes it from the committed offsets', async () => {
    const app = countingApp();
    await scenario(app, () => {
      app.kafka.inject('flush', {
        error: clientError('flushing the producer failed: Local: Timed out', {
          retriable: true,
          txnRequiresAbort: true,
        }),
      });
    });
    expect(app.kafka.pendingFaults('flush')).toBe(0);
    expect(app.kafka.calls.get('abortTransaction')).toBe(1);
    expect(app.kafka.producers).toHaveLength(1);
  });

  it('a commit whose outcome is unknown (it did commit) replaces the producer and never aborts', async () => {
    const app = countingApp();
    await scenario(app, () => {
      app.kafka.inject('commitTransaction', {
        error: clientError('committing the transaction failed: Broker: Unknown'),
        after: true,
      });
    });
    expect(app.kafka.pendingFaults('commitTransaction')).toBe(0);
    expect(app.kafka.calls.get('abortTransaction') ?? 0).toBe(0);
    expect(app.kafka.producers).toHaveLength(2);
    expect(app.kafka.producers[0]!.isClosed).toBe(true);
  });

  it('a commit whose outcome is unknown (it did not commit) replaces the producer and never aborts', async () => {
    const app = countingApp();
    await scenario(app, () => {
      app.kafka.inject('commitTransaction', {
        error: clientError('committing the transaction failed: Broker: Unknown'),
      });
    });
    expect(app.kafka.calls.get('abortTransaction') ?? 0).toBe(0);
    expect(app.kafka.producers).toHaveLength(2);
  });

  it('a retriable commit failure is retried on the same producer', async () => {
    const app = countingApp();
    await scenario(app, () => {
      app.kafka.inject('commitTransaction', {
        error: clientError('committing the transaction failed: Local: Timed out', { retriable: true }),
      });
    });
    expect(app.kafka.pendingFaults('commitTransaction')).toBe(0);
    expect(app.kafka.producers).toHaveLength(1);
    expect(app.kafka.calls.get('abortTransaction') ?? 0).toBe(0);
  });

  it('a transaction that must be aborted is aborted on the same producer', async () => {
    const app = countingApp();
    await scenario(app, () => {
      app.kafka.inject('sendOffsetsToTransaction', {
        error: clientError('sending offsets to the transaction failed: Broker: Request timed out', {
          txnRequiresAbort: true,
        }),
      });
    });
    expect(app.kafka.calls.get('abortTransaction')).toBe(1);
    expect(app.kafka.producers).toHaveLength(1);
  });

  it('a fenced producer (another producer took its transactional id) is replaced, the tasks rejoin', async () => {
    const app = countingApp();
    await scenario(app, async () => {
      const thread = app.kafka.producers[0]!;
      const interloper = await app.kafka.supplier().producer({ 'transactional.id': thread.transactionalId! });
      await interloper.initTransactions();
    });
    // The thread's first producer, the interloper, and the thread's new producer (which fenced the interloper).
    expect(app.kafka.producers).toHaveLength(3);
    expect(app.kafka.producers[1]!.isFenced).toBe(true);
    expect(app.kafka.producers[0]!.isFenced).toBe(true);
    expect(app.kafka.producers[0]!.isClosed).toBe(true);
  });

  it('partitions lost to the group are closed dirty, and counted exactly once when assigned again', async () => {
    const app = countingApp();
    await scenario(app, async () => {
      app.produce(50);
      const consumer = groupConsumer(app);
      await consumer.rebalance('revoke', ALL, true);
      expect(app.streams.tasksByThread()).toEqual({ [`${app.applicationId}-StreamThread-1`]: [] });
      await consumer.rebalance('assign', ALL, false);
    });
  });

  it('max.poll.interval.ms exceeded while polling: the thread rejoins instead of dying', async () => {
    const app = countingApp();
    await scenario(app, async () => {
      const consumer = groupConsumer(app);
      app.produce(30);
      app.kafka.inject('poll', {
        // librdkafka revokes the assignment as lost and the group hands it out again.
        run: () => {
          void consumer.rebalance('revoke', ALL, true);
          void consumer.rebalance('assign', ALL, false);
        },
        error: clientError(
          'polling failed: Local: Maximum application poll interval (max.poll.interval.ms) exceeded',
          { migrated: true },
        ),
      });
      await until(
        () => app.kafka.pendingFaults('poll') === 0,
        () => 'the poll fault',
      );
    });
    expect(app.states).not.toContain('ERROR');
  });

  it('a commit that fails during a revocation does not recreate the revoked tasks', async () => {
    // No commit but the revocation's: what was processed is committed then, or not at all.
    const app = countingApp({ config: { 'commit.interval.ms': 600_000 } });
    const restored: number[] = [];
    app.streams.setGlobalStateRestoreListener({ onRestoreStart: (tp) => restored.push(tp.partition) });
    const thread = `${app.applicationId}-StreamThread-1`;
    app.produce(40);
    await app.streams.start();
    try {
      const consumer = groupConsumer(app);
      await untilCounted(app);
      app.kafka.inject('sendOffsetsToTransaction', {
        error: clientError('sending offsets to the transaction failed: Broker: Request timed out', {
          txnRequiresAbort: true,
        }),
      });
      await consumer.rebalance('revoke', [ALL[1]!], false);
      expect(app.kafka.pendingFaults('sendOffsetsToTransaction')).toBe(0);
      expect(app.kafka.calls.get('abortTransaction')).toBe(1);
      // Task 0_0 comes back, restored from its changelog (records of the aborted transaction skipped); 0_1 not.
      await until(
        () => app.streams.tasksByThread()[thread]?.join() === '0_0',
        () => JSON.stringify(app.streams.tasksByThread()),
      );
      expect(restored).toEqual([0]);
      await consumer.rebalance('assign', [ALL[1]!], false);
      app.produce(40);
      await untilCounted(app);
    } finally {
      await app.streams.close();
    }
    app.expectExactCounts();
    await app.close();
  });
});

/** Waits until the app's store holds every produced count (when nothing is committed before close). */
async function untilCounted(app: CountingApp): Promise<void> {
  const counted = () => {
    if (app.streams.state !== 'RUNNING') return false;
    const store = app.streams.keyValueStore<string, number>('counts');
    return [...app.produced].every(([key, n]) => store.get(key) === n);
  };
  await until(
    counted,
    () => `state ${app.streams.state}, tasks ${JSON.stringify(app.streams.tasksByThread())}`,
  );
}

describe('thread death on an in-memory Kafka', { timeout: 30_000 }, () => {
  it('REPLACE_THREAD after a processing error with a RocksDB store: a working thread, exact counts, no dead values', async () => {
    const app = countingApp({ rocksdb: true, poisonOnce: new Set(['v250']) });
    const failures: StreamThreadFailure[] = [];
    const queries: unknown[] = [];
    app.streams.setUncaughtExceptionHandler((error, failure) => {
      failures.push(failure);
      expect((error as Error).message).toContain('poison record v250');
      // The dead thread is gone: no store of it answers.
      try {
        queries.push(app.streams.keyValueStore<string, number>('counts').get('k0'));
      } catch (e) {
        queries.push(e);
      }
      return 'REPLACE_THREAD';
    });
    await scenario(app, () => {});
    expect(failures).toEqual([
      { threadName: `${app.applicationId}-StreamThread-1`, replacements: 0, backoffMs: 0 },
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toBeInstanceOf(InvalidStateStoreError);
    expect(app.kafka.consumers.filter((c) => c.group === app.applicationId)).toHaveLength(2);
  });

  it('interactive queries answer from the replacement thread once RUNNING again', async () => {
    const app = countingApp({ rocksdb: true, poisonOnce: new Set(['v210']) });
    app.streams.setUncaughtExceptionHandler(() => 'REPLACE_THREAD');
    app.produce(200);
    await app.streams.start();
    try {
      await app.waitForCounts();
      app.produce(200);
      await app.waitForCounts();
      await until(
        () => app.streams.state === 'RUNNING',
        () => app.streams.state,
      );
      const store = app.streams.keyValueStore<string, number>('counts');
      for (const [key, n] of app.produced) expect(store.get(key)).toBe(n);
    } finally {
      await app.close();
    }
  });

  it('REPLACE_THREAD backs off exponentially and tells the handler how many threads it replaced', async () => {
    const app = countingApp({ poisonOnce: new Set(['v5', 'v6', 'v7']) });
    const failures: StreamThreadFailure[] = [];
    app.streams.setUncaughtExceptionHandler((_error, failure) => {
      failures.push(failure);
      return failures.length < 3 ? 'REPLACE_THREAD' : 'SHUTDOWN_CLIENT';
    });
    app.produce(20);
    await app.streams.start();
    try {
      await until(
        () => app.streams.state === 'ERROR',
        () => `${app.streams.state}, ${failures.length} failures`,
      );
      const name = (n: number) => `${app.applicationId}-StreamThread-${n}`;
      expect(failures).toEqual([
        { threadName: name(1), replacements: 0, backoffMs: 0 },
        { threadName: name(2), replacements: 1, backoffMs: 1_000 },
        { threadName: name(3), replacements: 2, backoffMs: 2_000 },
      ]);
      expect((app.streams.error as Error).message).toContain('poison record v7');
    } finally {
      await app.close();
    }
  });

  it('a thread dying mid-restore closes its restoring RocksDB tasks, so its replacement can open them', async () => {
    const first = countingApp({ rocksdb: true });
    first.produce(200);
    await first.streams.start();
    await first.waitForCounts();
    await first.close();
    // A new instance without local state restores from the changelog; the first restore dies halfway.
    const app = countingApp({ rocksdb: true, after: first });
    rmSync(app.stateDir, { recursive: true, force: true });
    const errors: unknown[] = [];
    app.streams.setUncaughtExceptionHandler((error) => {
      errors.push(error);
      return 'REPLACE_THREAD';
    });
    app.kafka.inject('restorePoll', { error: new Error('the disk is on fire') });
    await scenario(app, () => {});
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('the disk is on fire');
    const restoreConsumers = app.kafka.consumers.filter((c) => c.group === `${app.applicationId}-restore`);
    expect(restoreConsumers.length).toBeGreaterThanOrEqual(2);
    expect(restoreConsumers.every((c) => c.isClosed)).toBe(true);
    const groupConsumers = app.kafka.consumers.filter((c) => c.group === app.applicationId);
    expect(groupConsumers.map((c) => c.isClosed)).toEqual([true, true, true]);
  });

  it('a thread that dies closes its clients: an open transaction is aborted, nothing of it is visible', async () => {
    const app = countingApp({ poisonOnce: new Set(['v150']) });
    app.produce(100);
    await app.streams.start();
    try {
      await app.waitForCounts();
      app.produce(100);
      await until(
        () => app.streams.state === 'ERROR',
        () => app.streams.state,
      );
      expect(app.streams.error).toBeInstanceOf(StreamsError);
      expect(app.kafka.producers.every((p) => p.isClosed)).toBe(true);
      expect(app.kafka.consumers.every((c) => c.isClosed)).toBe(true);
      expect(app.streams.tasksByThread()).toEqual({});
      // What was committed is every key's counts 1..m, without a gap or duplicate; the open transaction is gone.
      app.expectExactCounts({ prefix: true });
      expect(app.kafka.read('out', 'read_uncommitted').length).toBeGreaterThan(
        app.kafka.read('out', 'read_committed').length,
      );
    } finally {
      await app.close();
    }
  });
});

describe('a broker outage on an in-memory Kafka', { timeout: 30_000 }, () => {
  it('is waited out: logged when it starts and ends, the instance stays alive, the counts stay exact', async () => {
    const warnings: string[] = [];
    const logger = {
      error: () => {},
      warn: (_fields: unknown, message: string) => warnings.push(message),
      info: () => {},
      debug: () => {},
    };
    const app = countingApp({ config: { logger } });
    let since: number | undefined;
    await scenario(app, async () => {
      // The brokers go away while the thread commits what it consumed.
      const before = Date.now();
      app.kafka.inject('flush', {
        run: () => {
          app.kafka.down = true;
        },
      });
      app.produce(100);
      await until(
        () => app.streams.brokersUnreachableSince !== undefined,
        () => 'the outage to be noticed',
      );
      since = app.streams.brokersUnreachableSince!.getTime();
      expect(since).toBeGreaterThanOrEqual(before);
      await new Promise((r) => setTimeout(r, 300));
      expect(app.streams.state).toBe('RUNNING');
      app.kafka.down = false;
      await until(
        () => app.streams.brokersUnreachableSince === undefined,
        () => 'the outage to end',
      );
    });
    const thread = `${app.applicationId}-StreamThread-1`;
    const outage = warnings.filter((w) => w.includes('unreachable since'));
    expect(outage).toHaveLength(1);
    expect(outage[0]).toContain(
      `${thread}: the Kafka cluster (fake:9092) is unreachable since ${new Date(since!).toISOString()}`,
    );
    expect(
      warnings.filter((w) =>
        w.startsWith(`${thread}: the Kafka cluster (fake:9092) is reachable again after`),
      ),
    ).toHaveLength(1);
  });

  it('past task.timeout.ms the thread gives up, naming since when the brokers were unreachable', async () => {
    const app = countingApp({ config: { 'task.timeout.ms': 300 } });
    app.produce(100);
    await app.streams.start();
    try {
      await app.waitForCounts();
      app.kafka.inject('flush', {
        run: () => {
          app.kafka.down = true;
        },
      });
      app.produce(100);
      await until(
        () => app.streams.state === 'ERROR',
        () => app.streams.state,
      );
      const message = (app.streams.error as Error).message;
      expect(message).toMatch(
        new RegExp(
          `^${app.applicationId}-StreamThread-1 gave up: the Kafka cluster \\(fake:9092\\) has been unreachable since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(\\d+ s, more than task.timeout.ms = 300 ms\\); last failure: \\w+ failed: Local: Timed out`,
        ),
      );
    } finally {
      app.kafka.down = false;
      await app.close();
    }
  });
});

describe('paused partitions on an in-memory Kafka', { timeout: 30_000 }, () => {
  it('a recovery resumes the partitions the thread had paused', async () => {
    const kafka = new FakeKafka();
    for (const topic of ['left', 'right', 'merged']) kafka.createTopic(topic, 1);
    const builder = new StreamsBuilder();
    builder
      .stream(['left', 'right'], Consumed.with(Serdes.String(), Serdes.String()))
      .to('merged', Produced.with(Serdes.String(), Serdes.String()));
    const applicationId = `fake-paused-${process.pid}`;
    const streams = new KafkaStreams(
      builder.build(),
      {
        'application.id': applicationId,
        'bootstrap.servers': 'fake:9092',
        'processing.guarantee': 'exactly_once_v2',
        'state.dir': join(tmpdir(), applicationId),
        'commit.interval.ms': 20,
        'poll.ms': 5,
        // The task waits for 'right' while 'left' fills its buffer: 'left' is paused.
        'max.task.idle.ms': 600_000,
        'buffered.records.per.partition': 10,
      },
      kafka.supplier(),
    );
    const left = Array.from({ length: 50 }, (_, i) => ({ key: `l${i}`, value: `left-${i}`, partition: 0 }));
    kafka.produce('left', left);
    await streams.start();
    try {
      const consumer = kafka.consumers.find((c) => c.group === applicationId)!;
      await until(
        () => consumer.paused().length === 1,
        () => 'left to be paused',
      );
      kafka.inject('poll', { error: clientError('polling failed: Local: Erroneous state') });
      await until(
        () => kafka.pendingFaults('poll') === 0,
        () => 'the poll failure',
      );
      const right = Array.from({ length: 50 }, (_, i) => ({
        key: `r${i}`,
        value: `right-${i}`,
        partition: 0,
      }));
      kafka.produce('right', right);
      // Every left record comes through (merged in timestamp order with the right ones; the last record waits
      // for a later one on the other partition, as max.task.idle.ms says).
      const mergedLeft = () => kafka.read('merged').filter((r) => r.value!.toString().startsWith('left'));
      await until(
        () => mergedLeft().length === 50,
        () => `${mergedLeft().length} of 50 left records; paused ${JSON.stringify(consumer.paused())}`,
      );
      expect(mergedLeft().map((r) => r.value!.toString())).toEqual(left.map((r) => r.value));
      expect(kafka.read('merged').length).toBe(99);
    } finally {
      await streams.close();
      rmSync(join(tmpdir(), applicationId), { recursive: true, force: true });
    }
  });
});

describe('closing tasks on an in-memory Kafka', { timeout: 30_000 }, () => {
  it('a clean close that fails still closes the task (its stores), and the thread is replaced', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    // A store whose flush fails once `failFlush` is set; every instance built is kept.
    const built: KeyValueStore<string, string>[] = [];
    let failFlush = false;
    const real = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('faulty'),
      Serdes.String(),
      Serdes.String(),
    ).withLoggingDisabled();
    const faulty: StoreBuilder<StateStore> = {
      name: real.name,
      logConfig: real.logConfig,
      cachingEnabled: false,
      withCachingEnabled: () => faulty,
      withCachingDisabled: () => faulty,
      withLoggingEnabled: () => faulty,
      withLoggingDisabled: () => faulty,
      build: () => {
        const store = real.build();
        const flush = store.flush.bind(store);
        store.flush = () => {
          if (failFlush) throw new Error('the disk is full');
          flush();
        };
        built.push(store);
        return store;
      },
    };
    const builder = new StreamsBuilder();
    builder.addStateStore(faulty);
    builder
      .stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .process(() => {
        let context: ProcessorContext<string, string> | undefined;
        return {
          init: (c: ProcessorContext<string, string>) => {
            context = c;
          },
          process: (record: Record<string, string>) => {
            context!.getStateStore<KeyValueStore<string, string>>('faulty').put(record.key, record.value);
            context!.forward(record);
          },
        };
      }, 'faulty')
      .to('out', Produced.with(Serdes.String(), Serdes.String()));
    const applicationId = `fake-close-${process.pid}`;
    const streams = new KafkaStreams(
      builder.build(),
      {
        'application.id': applicationId,
        'bootstrap.servers': 'fake:9092',
        'processing.guarantee': 'exactly_once_v2',
        'state.dir': join(tmpdir(), applicationId),
        'commit.interval.ms': 20,
        'poll.ms': 5,
      },
      kafka.supplier(),
    );
    const errors: unknown[] = [];
    streams.setUncaughtExceptionHandler((error) => {
      errors.push(error);
      return 'REPLACE_THREAD';
    });
    kafka.produce('in', [
      { key: 'a', value: '1', partition: 0 },
      { key: 'b', value: '2', partition: 1 },
    ]);
    await streams.start();
    try {
      await until(
        () => kafka.read('out').length === 2,
        () => `${kafka.read('out').length} outputs`,
      );
      expect(built).toHaveLength(2);
      failFlush = true;
      // A clean revocation of partition 1: commit, then close task 0_1 cleanly — its store's flush fails.
      const consumer = kafka.consumers.find((c) => c.group === applicationId)!;
      await consumer.rebalance('revoke', [{ topic: 'in', partition: 1 }], false);
      await until(
        () => errors.length === 1,
        () => `${errors.length} thread deaths`,
      );
      expect((errors[0] as Error).message).toContain('the disk is full');
      expect(built.map((s) => s.isOpen())).toEqual([false, false]);
      failFlush = false;
      kafka.produce('in', [{ key: 'c', value: '3', partition: 0 }]);
      await until(
        () => kafka.read('out').length === 3,
        () => `${kafka.read('out').length} outputs`,
      );
    } finally {
      await streams.close();
      rmSync(join(tmpdir(), applicationId), { recursive: true, force: true });
    }
  });
});
