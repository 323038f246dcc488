import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConsoleLogger, type Logger, type LogLevel, type Serde } from '@tributary/core';
import type { ClientConfig } from '@tributary/kafka';
import type { ExceptionHandlerSettings } from '@tributary/runtime';

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

/** Settings by Kafka Streams' names, plus librdkafka settings under `main.consumer.`, `producer.`, `admin.`. */
export type StreamsConfigInput = Readonly<Record<string, unknown>>;

interface KeySpec {
  readonly doc: string;
  readonly parse: (key: string, value: unknown) => unknown;
}

function fail(key: string, value: unknown, expected: string): never {
  throw new ConfigError(`config '${key}' is ${JSON.stringify(value) ?? String(value)}; expected ${expected}`);
}

const string = (doc: string): KeySpec => ({
  doc,
  parse: (key, value) =>
    typeof value === 'string' && value.length > 0 ? value : fail(key, value, 'a non-empty string'),
});

const integer = (doc: string, min: number): KeySpec => ({
  doc,
  parse: (key, value) => {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= min
      ? n
      : fail(key, value, `an integer >= ${min}`);
  },
});

const oneOf = (doc: string, ...values: string[]): KeySpec => ({
  doc,
  parse: (key, value) =>
    typeof value === 'string' && values.includes(value)
      ? value
      : fail(key, value, `one of ${values.map((v) => `'${v}'`).join(', ')}`),
});

const serde = (doc: string): KeySpec => ({
  doc,
  parse: (key, value) => {
    const candidate = value as Partial<Serde<unknown>> | null;
    return candidate &&
      typeof candidate.serialize === 'function' &&
      typeof candidate.deserialize === 'function'
      ? value
      : fail(key, typeof value === 'object' ? '[object]' : value, 'a Serde, e.g. Serdes.String()');
  },
});

const handler = (doc: string, ...names: string[]): KeySpec => ({
  doc,
  parse: (key, value) =>
    typeof value === 'function' || (typeof value === 'string' && names.includes(value))
      ? value
      : fail(key, value, `${names.map((v) => `'${v}'`).join(' or ')}, or a handler function`),
});

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'silent'];

const logger = (doc: string): KeySpec => ({
  doc,
  parse: (key, value) => {
    const candidate = value as Partial<Record<keyof Logger, unknown>> | null;
    return candidate &&
      typeof candidate === 'object' &&
      (['error', 'warn', 'info', 'debug'] as const).every((m) => typeof candidate[m] === 'function')
      ? value
      : fail(
          key,
          typeof value === 'object' ? '[object]' : value,
          'an object with error, warn, info and debug methods (a Logger, e.g. a pino logger)',
        );
  },
});

const HANDLER_KEYS = [
  'deserialization.exception.handler',
  'processing.exception.handler',
  'production.exception.handler',
] as const;

const KEYS: Readonly<Record<string, KeySpec>> = {
  'application.id': string('the consumer group id and prefix of internal topics (required)'),
  'bootstrap.servers': string('Kafka brokers, host:port[,host:port] (required)'),
  'processing.guarantee': oneOf(
    'at_least_once (default) or exactly_once_v2',
    'at_least_once',
    'exactly_once_v2',
  ),
  'commit.interval.ms': integer('how often to commit; default 30000, or 100 with exactly_once_v2', 0),
  'num.stream.threads': integer('stream threads of this instance; default 1', 1),
  'state.dir': string('directory for state stores and the instance id; default <tmp>/tributary-streams'),
  'replication.factor': integer('replication of internal topics; default -1 (the broker default)', -1),
  'default.key.serde': serde('key serde for StreamsBuilder nodes without one'),
  'default.value.serde': serde('value serde for StreamsBuilder nodes without one'),
  'max.task.idle.ms': integer('how long a task waits for empty input partitions; default 0', -1),
  'statestore.cache.max.bytes': integer('record cache budget per store; default 10485760', 0),
  'statestore.uncommitted.max.bytes': integer(
    "uncommitted bytes a task's persistent stores may hold before an early commit; default 67108864",
    0,
  ),
  'poll.ms': integer('longest wait for records in one poll; default 100', 0),
  'buffered.records.per.partition': integer(
    'records buffered per input partition before pausing it; default 1000',
    1,
  ),
  'max.poll.records': integer('records fetched per poll; default 1000', 1),
  'max.poll.interval.ms': integer(
    'longest gap between polls before the group evicts the thread; default 300000',
    1,
  ),
  'session.timeout.ms': integer('consumer group session timeout; default 45000', 1),
  'transaction.timeout.ms': integer('transaction timeout with exactly_once_v2; default 10000', 1),
  'deserialization.exception.handler': handler(
    "what to do with an input record the source's serdes cannot read: 'logAndFail' (default), 'logAndContinue' or a function",
    'logAndFail',
    'logAndContinue',
  ),
  'processing.exception.handler': handler(
    "what to do when a processor or punctuator throws: 'logAndFail' (default), 'logAndContinue' or a function",
    'logAndFail',
    'logAndContinue',
  ),
  'production.exception.handler': handler(
    "what to do with an output record that cannot be serialized or is too large: 'fail' (default), 'continue' or a function",
    'fail',
    'continue',
  ),
  'num.standby.replicas': integer(
    'warm copies of each task with persistent stores kept on other instances (needs the instance directory: KafkaStreams given a Topology); default 0',
    0,
  ),
  'group.protocol': oneOf(
    "the consumer group protocol: 'classic' (default; client-side range assignor, eager) or 'consumer' (KIP-848: the broker assigns with its range assignor, incrementally)",
    'classic',
    'consumer',
  ),
  'application.server': {
    doc: 'host:port where this instance serves interactive queries over HTTP and tells the other instances it does; default none (no server)',
    parse: (key, value) => {
      const match = typeof value === 'string' ? /^([^:\s]+):(\d{1,5})$/.exec(value) : null;
      const port = match ? Number(match[2]) : -1;
      return match && port <= 65535
        ? { host: match[1]!, port }
        : fail(key, value, "'host:port', e.g. 'localhost:7070'");
    },
  },
  'interactive.queries.bind.host': string(
    'address the interactive-query server listens on; default 127.0.0.1 (set 0.0.0.0 to serve other hosts)',
  ),
  'log.level': oneOf(
    "lines the default logger writes: 'error', 'warn', 'info' (default, or $TRIBUTARY_LOG_LEVEL), 'debug' or 'silent'",
    ...LOG_LEVELS,
  ),
  logger: logger(
    'where the instance logs (fields first, then the message, as pino does); default: lines on standard error at log.level',
  ),
  'errors.dead.letter.queue.topic.name': string(
    'topic the built-in exception handlers write failing records to (create it first); default none',
  ),
  'task.timeout.ms': integer(
    'how long a stream thread retries, with back-off, while the Kafka cluster is unreachable; default 300000',
    0,
  ),
};

const CLIENT_PREFIXES = ['main.consumer.', 'consumer.', 'producer.', 'admin.'] as const;
const SHARED_CLIENT_PREFIXES = ['security.', 'sasl.', 'ssl.', 'client.'];

function clientValue(key: string, value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return fail(key, value, 'a string, number or boolean (a librdkafka setting)');
}

/** Validated Kafka Streams configuration. Unknown or ill-typed keys are a ConfigError naming the key. */
export class StreamsConfig {
  /**
   * Every setting the configuration accepts, with its description, in declaration order; then the prefixes
   * whose settings go to the Kafka clients. docs/configuration.md is generated from this (a test checks).
   */
  static schema(): {
    readonly settings: readonly { readonly key: string; readonly doc: string }[];
    readonly clientPrefixes: readonly string[];
    readonly sharedClientPrefixes: readonly string[];
  } {
    return {
      settings: Object.entries(KEYS).map(([key, spec]) => ({ key, doc: spec.doc })),
      clientPrefixes: [...CLIENT_PREFIXES],
      sharedClientPrefixes: [...SHARED_CLIENT_PREFIXES],
    };
  }

  readonly applicationId: string;
  readonly bootstrapServers: string;
  readonly processingGuarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
  readonly numStreamThreads: number;
  readonly stateDir: string;
  readonly replicationFactor: number;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  readonly maxTaskIdleMs: number;
  readonly cacheMaxBytes: number;
  readonly maxUncommittedBytes: number;
  readonly pollMs: number;
  readonly bufferedRecordsPerPartition: number;
  readonly maxPollRecords: number;
  readonly maxPollIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  readonly groupProtocol: 'classic' | 'consumer';
  readonly numStandbyReplicas: number;
  /** Where this instance serves interactive queries (`application.server`); port 0 takes a free port. */
  readonly applicationServer: { readonly host: string; readonly port: number } | undefined;
  readonly queryBindHost: string;
  /** Where the instance logs: the `logger` given, else a ConsoleLogger at `log.level`. */
  readonly logger: Logger;
  /** The exception handlers and the dead-letter queue topic, for every task. */
  readonly exceptionHandlers: ExceptionHandlerSettings;
  readonly taskTimeoutMs: number;
  private readonly shared: Record<string, string | number | boolean> = {};
  private readonly perClient: Record<
    (typeof CLIENT_PREFIXES)[number],
    Record<string, string | number | boolean>
  > = {
    'main.consumer.': {},
    'consumer.': {},
    'producer.': {},
    'admin.': {},
  };

  /** The settings that can be sent to a worker thread (everything but serdes). */
  readonly cloneableInput: Readonly<Record<string, string | number | boolean>>;

  constructor(input: StreamsConfigInput) {
    const cloneable: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(input)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        cloneable[key] = value;
    }
    this.cloneableInput = cloneable;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const spec = KEYS[key];
      if (spec) {
        values[key] = spec.parse(key, value);
        continue;
      }
      const prefix = CLIENT_PREFIXES.find((p) => key.startsWith(p));
      if (prefix) {
        this.perClient[prefix][key.slice(prefix.length)] = clientValue(key, value);
      } else if (SHARED_CLIENT_PREFIXES.some((p) => key.startsWith(p))) {
        this.shared[key] = clientValue(key, value);
      } else {
        throw new ConfigError(
          `unknown config '${key}'. Streams settings are: ${Object.keys(KEYS).join(', ')}. ` +
            "librdkafka settings go under 'main.consumer.', 'producer.' or 'admin.' (e.g. 'producer.linger.ms'); " +
            'security.*, sasl.*, ssl.* and client.* settings go to every client as they are.',
        );
      }
    }
    for (const required of ['application.id', 'bootstrap.servers']) {
      if (values[required] === undefined) {
        throw new ConfigError(`config '${required}' is required: ${KEYS[required]!.doc}`);
      }
    }
    this.applicationId = values['application.id'] as string;
    if (!/^[a-zA-Z0-9._-]+$/.test(this.applicationId)) {
      fail(
        'application.id',
        this.applicationId,
        'letters, digits, ".", "_" and "-" only (it prefixes topic names)',
      );
    }
    this.bootstrapServers = values['bootstrap.servers'] as string;
    this.processingGuarantee = (values['processing.guarantee'] as ProcessingGuarantee) ?? 'at_least_once';
    const eos = this.processingGuarantee === 'exactly_once_v2';
    this.commitIntervalMs = (values['commit.interval.ms'] as number) ?? (eos ? 100 : 30_000);
    this.numStreamThreads = (values['num.stream.threads'] as number) ?? 1;
    this.stateDir = (values['state.dir'] as string) ?? join(tmpdir(), 'tributary-streams');
    this.replicationFactor = (values['replication.factor'] as number) ?? -1;
    this.defaultKeySerde = values['default.key.serde'] as Serde<unknown> | undefined;
    this.defaultValueSerde = values['default.value.serde'] as Serde<unknown> | undefined;
    this.maxTaskIdleMs = (values['max.task.idle.ms'] as number) ?? 0;
    this.cacheMaxBytes = (values['statestore.cache.max.bytes'] as number) ?? 10 * 1024 * 1024;
    this.maxUncommittedBytes = (values['statestore.uncommitted.max.bytes'] as number) ?? 64 * 1024 * 1024;
    this.pollMs = (values['poll.ms'] as number) ?? 100;
    this.bufferedRecordsPerPartition = (values['buffered.records.per.partition'] as number) ?? 1000;
    this.maxPollRecords = (values['max.poll.records'] as number) ?? 1000;
    this.maxPollIntervalMs = (values['max.poll.interval.ms'] as number) ?? 300_000;
    this.sessionTimeoutMs = (values['session.timeout.ms'] as number) ?? 45_000;
    this.transactionTimeoutMs = (values['transaction.timeout.ms'] as number) ?? 10_000;
    this.taskTimeoutMs = (values['task.timeout.ms'] as number) ?? 300_000;
    this.groupProtocol = (values['group.protocol'] as 'classic' | 'consumer') ?? 'classic';
    this.numStandbyReplicas = (values['num.standby.replicas'] as number) ?? 0;
    this.applicationServer = values['application.server'] as { host: string; port: number } | undefined;
    this.queryBindHost = (values['interactive.queries.bind.host'] as string) ?? '127.0.0.1';
    const envLevel = process.env.TRIBUTARY_LOG_LEVEL as LogLevel | undefined;
    const level =
      (values['log.level'] as LogLevel | undefined) ??
      (envLevel !== undefined && LOG_LEVELS.includes(envLevel) ? envLevel : 'info');
    const log = (values.logger as Logger | undefined) ?? new ConsoleLogger({ level });
    this.logger = log;
    this.exceptionHandlers = {
      log: (message) => log.warn({ application: this.applicationId }, message),
      deserialization: values[
        'deserialization.exception.handler'
      ] as ExceptionHandlerSettings['deserialization'],
      processing: values['processing.exception.handler'] as ExceptionHandlerSettings['processing'],
      production: values['production.exception.handler'] as ExceptionHandlerSettings['production'],
      deadLetterQueueTopic: values['errors.dead.letter.queue.topic.name'] as string | undefined,
    };
  }

  /**
   * The exception handler settings given as functions: they cannot reach stream threads that run in processes
   * of their own (a TopologyModule), which get `cloneableInput` only.
   */
  functionHandlerKeys(): string[] {
    const given = this.exceptionHandlers;
    const values = [given.deserialization, given.processing, given.production];
    return HANDLER_KEYS.filter((_key, i) => typeof values[i] === 'function');
  }

  get exactlyOnce(): boolean {
    return this.processingGuarantee === 'exactly_once_v2';
  }

  /** Options for `new StreamsBuilder(...)`: the default serdes. */
  builderOptions(): { defaultKeySerde?: Serde<unknown>; defaultValueSerde?: Serde<unknown> } {
    return {
      ...(this.defaultKeySerde ? { defaultKeySerde: this.defaultKeySerde } : {}),
      ...(this.defaultValueSerde ? { defaultValueSerde: this.defaultValueSerde } : {}),
    };
  }

  /** The group consumer of a stream thread: range assignment keeps co-partitioned partitions together. */
  mainConsumerConfig(): ClientConfig {
    return {
      'bootstrap.servers': this.bootstrapServers,
      'group.id': this.applicationId,
      // Both range assignors keep co-partitioned partitions (the same number of every input topic) together.
      ...(this.groupProtocol === 'consumer'
        ? { 'group.protocol': 'consumer', 'group.remote.assignor': 'range' }
        : { 'partition.assignment.strategy': 'range', 'session.timeout.ms': this.sessionTimeoutMs }),
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': this.exactlyOnce ? 'read_committed' : 'read_uncommitted',
      'max.poll.interval.ms': this.maxPollIntervalMs,
      ...this.shared,
      ...this.perClient['consumer.'],
      ...this.perClient['main.consumer.'],
    };
  }

  /** A consumer outside the group (changelog restore, global tables). */
  restoreConsumerConfig(): ClientConfig {
    return {
      'bootstrap.servers': this.bootstrapServers,
      'group.id': `${this.applicationId}-restore`,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': this.exactlyOnce ? 'read_committed' : 'read_uncommitted',
      ...this.shared,
      ...this.perClient['consumer.'],
    };
  }

  /** A stream thread's producer; `transactionalId` set under exactly_once_v2. */
  producerConfig(transactionalId: string | undefined): ClientConfig {
    return {
      'bootstrap.servers': this.bootstrapServers,
      'linger.ms': 5,
      acks: 'all',
      'enable.idempotence': true,
      partitioner: 'murmur2_random',
      ...(transactionalId
        ? { 'transactional.id': transactionalId, 'transaction.timeout.ms': this.transactionTimeoutMs }
        : {}),
      ...this.shared,
      ...this.perClient['producer.'],
    };
  }

  adminConfig(): ClientConfig {
    return { 'bootstrap.servers': this.bootstrapServers, ...this.shared, ...this.perClient['admin.'] };
  }
}
