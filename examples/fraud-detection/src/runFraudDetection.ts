import { HttpSchemaRegistryClient } from '@tributary/avro';
import { DeadLetterQueueHeaders, Serdes } from '@tributary/streams';
import type { Alert } from './Alert.js';
import type { AppMessage } from './app.js';
import { avroTransactionSerde } from './avroTransactionSerde.js';
import { FraudAppProcess } from './FraudAppProcess.js';
import { createFraudTopics, type FraudTopics, fraudTopics } from './FraudTopics.js';
import { GroupLag } from './GroupLag.js';
import { publishReferenceData, publishTransactions } from './publishScenario.js';
import type { Scenario } from './Scenario.js';
import { TopicReader } from './TopicReader.js';

export interface RunOptions {
  /** Application processes to start (they split the partitions); default 1. */
  readonly instances?: number;
  /** Partitions of the topics; default 4. */
  readonly partitions?: number;
  /** Transactions per second; default: as fast as possible. */
  readonly rate?: number;
  readonly applicationId?: string;
  /** Prefix of the topic names (a fresh prefix per run on a shared cluster); default none. */
  readonly topicPrefix?: string;
  /** Transactions in Avro, with this schema registry; default JSON. */
  readonly schemaRegistryUrl?: string;
  /** Stops the run early (Ctrl-C): publishing ends, the instances are stopped cleanly. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** Longest wait for the instances to start, and for the application to catch up; default 120 s each. */
  readonly timeoutMs?: number;
}

export type RunEvent =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'alert'; readonly alert: Alert }
  | { readonly type: 'dead-letter'; readonly deadLetter: DeadLetter }
  | {
      readonly type: 'progress';
      readonly sent: number;
      readonly total: number;
      /** Transactions the application has committed (consumed, processed, outputs written, exactly once). */
      readonly committed: number;
      readonly lag: number;
      readonly alerts: number;
      readonly elapsedMs: number;
    };

/** A record of the dead-letter queue: the failing record's key and value, and why it failed. */
export interface DeadLetter {
  readonly key: string;
  readonly payload: string;
  readonly error: string;
}

export interface RunResult {
  readonly alerts: readonly Alert[];
  readonly deadLetters: readonly DeadLetter[];
  readonly sent: number;
  /** Task ids each instance ran at the end, by instance name. */
  readonly tasks: ReadonlyMap<string, readonly string[]>;
  /** From the first transaction sent to the last one committed by the application. */
  readonly processingMs: number;
  readonly stopped: boolean;
}

/**
 * One run of the fraud pipeline on a broker: creates the topics, writes the merchants and blocked cards,
 * starts the application `instances` times (separate processes, which split the partitions), writes the
 * transactions, waits until the application has committed every one of them and every committed alert is
 * read, then stops the instances. Used by the demo and by the integration test.
 */
export async function runFraudDetection(
  servers: string,
  scenario: Scenario,
  options: RunOptions = {},
): Promise<RunResult> {
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const partitions = options.partitions ?? 4;
  const applicationId = options.applicationId ?? 'fraud-detection';
  const log = (line: string) => emit({ type: 'log', line });
  const topics: FraudTopics = fraudTopics(options.topicPrefix);

  await createFraudTopics(servers, topics, partitions);
  await publishReferenceData(servers, topics, scenario);
  log(
    `topics ready; ${scenario.merchants.length} merchants (GlobalKTable) and ${scenario.blockedCards.length} blocked cards (KTable) written`,
  );

  const instances: FraudAppProcess[] = [];
  let reader: TopicReader<Alert> | undefined;
  let dlq: TopicReader<DeadLetter> | undefined;
  let lag: GroupLag | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const onMessage = (instance: FraudAppProcess, message: AppMessage) => {
      if (message.type === 'tasks')
        log(`${instance.name} (pid ${instance.pid}) runs tasks ${message.tasks.join(', ')}`);
      if (message.type === 'error') log(`${instance.name}: ${message.message}`);
    };
    const onOutput = (instance: FraudAppProcess, line: string) => log(`${instance.name}: ${line}`);
    for (let i = 1; i <= (options.instances ?? 1); i++) {
      instances.push(
        FraudAppProcess.start(`instance ${i}`, servers, {
          applicationId,
          topicPrefix: options.topicPrefix ?? '',
          ...(options.schemaRegistryUrl ? { schemaRegistryUrl: options.schemaRegistryUrl } : {}),
          onMessage,
          onOutput,
        }),
      );
    }
    log(
      `started ${instances.length} application instance${instances.length > 1 ? 's' : ''}; waiting for the partitions to be assigned`,
    );
    await until(
      () => {
        const dead = instances.find((i) => !i.running);
        if (dead)
          throw new Error(
            `${dead.name} exited at start: ${[...dead.errors, ...dead.output].join('\n') || 'no output'}`,
          );
        const tasks = instances.flatMap((i) => i.tasks);
        return (
          instances.every((i) => i.state === 'RUNNING' && i.tasks.length > 0) &&
          new Set(tasks).size === partitions &&
          tasks.length === partitions
        );
      },
      timeoutMs,
      signal,
      () => `instances: ${instances.map((i) => `${i.name} ${i.state} [${i.tasks.join(',')}]`).join('; ')}`,
    );

    const alertSerde = Serdes.Json<Alert>();
    reader = await TopicReader.start(
      servers,
      topics.alerts,
      (r) => alertSerde.deserialize(r.topic, r.value!),
      (alert) => emit({ type: 'alert', alert }),
    );
    dlq = await TopicReader.start(
      servers,
      topics.deadLetters,
      (r): DeadLetter => ({
        key: r.key?.toString() ?? '',
        payload: r.value?.toString() ?? '',
        error: r.headers.lastHeader(DeadLetterQueueHeaders.message)?.value?.toString() ?? '',
      }),
      (deadLetter) => emit({ type: 'dead-letter', deadLetter }),
    );
    lag = await GroupLag.connect(servers, applicationId, topics.transactions);
    const started = Date.now();
    let sent = 0;
    let measured = { committed: 0, end: 0, lag: 0 };
    let measuring = false;
    const progress = () =>
      emit({
        type: 'progress',
        sent,
        total: scenario.transactions.length + scenario.malformed.length,
        committed: measured.committed,
        lag: measured.lag,
        alerts: reader!.records.length,
        elapsedMs: Date.now() - started,
      });
    timer = setInterval(() => {
      if (measuring) return;
      measuring = true;
      lag!
        .measure()
        .then((m) => {
          measured = m;
          progress();
        })
        .catch(() => {})
        .finally(() => {
          measuring = false;
        });
    }, 250);

    sent = await publishTransactions(servers, topics, scenario, {
      ...(options.schemaRegistryUrl
        ? { serde: avroTransactionSerde(new HttpSchemaRegistryClient({ url: options.schemaRegistryUrl })) }
        : {}),
      ...(options.rate ? { rate: options.rate } : {}),
      stopped: () => signal?.aborted === true,
      onProgress: (n) => {
        sent = n;
      },
    });
    let processingMs = 0;
    if (!signal?.aborted) {
      await until(
        async () => {
          const dead = instances.find((i) => !i.running);
          if (dead)
            throw new Error(
              `${dead.name} stopped while running: ${[...dead.errors, ...dead.output].join('\n') || 'no output'}`,
            );
          measured = await lag!.measure();
          progress();
          return measured.committed >= sent;
        },
        timeoutMs,
        signal,
        () => `committed ${measured.committed} of ${sent} transactions`,
      );
      processingMs = Date.now() - started;
      await reader.caughtUp();
      await dlq.caughtUp();
    }
    return {
      alerts: [...reader.records],
      deadLetters: [...dlq.records],
      sent,
      tasks: new Map(instances.map((i) => [i.name, i.tasks])),
      processingMs,
      stopped: signal?.aborted === true,
    };
  } finally {
    clearInterval(timer);
    try {
      await reader?.close();
    } catch (error) {
      log(`closing the alert reader: ${(error as Error).message}`);
    }
    try {
      await dlq?.close();
    } catch (error) {
      log(`closing the dead-letter reader: ${(error as Error).message}`);
    }
    try {
      await lag?.close();
    } catch (error) {
      log(`closing the lag reader: ${(error as Error).message}`);
    }
    const codes = await Promise.all(instances.map((i) => i.stop()));
    log(`application instances stopped (exit codes ${codes.join(', ')})`);
  }
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (signal?.aborted) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
