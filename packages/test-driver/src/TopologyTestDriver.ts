import {
  type ConsumerRecord,
  type Headers,
  IllegalStateError,
  type ProducerRecord,
  RecordTooLargeError,
  type Serde,
  StreamsError,
  TaskId,
  TopologyError,
} from '@tributary/core';
import type { Subtopology, Topology } from '@tributary/dsl';
import {
  checkCopartitioning,
  DefaultRecordCollector,
  defaultPartition,
  type ExceptionHandlerSettings,
  GlobalStateUpdateTask,
  type RecordProducer,
  SerdePreparer,
  StreamTask,
  type TaskMetrics,
  topologyPartitionCounts,
} from '@tributary/runtime';
import {
  type KeyValueStore,
  MergedKeyValueStoreView,
  MergedSessionStoreView,
  MergedWindowStoreView,
  type ReadOnlyKeyValueStore,
  type ReadOnlySessionStore,
  type ReadOnlyWindowStore,
  type SessionStore,
  type StateStore,
  type WindowStore,
} from '@tributary/state';
import type { DriverHost } from './internal/DriverHost.js';
import { DriverStateDir } from './internal/DriverStateDir.js';
import { OutputLog } from './internal/OutputLog.js';
import { checkStoreKind, type StoreKind } from './internal/storeKind.js';
import { writtenTopics } from './internal/writtenTopics.js';
import { TestInputTopic } from './TestInputTopic.js';
import { TestOutputTopic } from './TestOutputTopic.js';
import type { TopologyTestDriverConfig } from './TopologyTestDriverConfig.js';

interface TopicState {
  readonly partitions: number;
  readonly nextOffsets: number[];
  readonly tasks: StreamTask[] | undefined;
  readonly global: boolean;
  log: OutputLog | undefined;
  /** Piped records kept "on the broker" (not yet fetched by their task) while the topic is held; by partition. */
  held: ConsumerRecord[][] | undefined;
}

/**
 * Runs a Topology in memory, synchronously, through the same StreamTask, store and RecordCollector code as
 * production. Unlike Kafka Streams' driver, topics may have several partitions: there is one StreamTask per
 * (sub-topology, partition), records are partitioned like a producer would (murmur2 of the key bytes by
 * default), and records written to repartition topics are routed to the task of their partition and
 * processed before `pipeInput` returns.
 */
export class TopologyTestDriver {
  readonly applicationId: string;
  private readonly topology: Topology;
  private readonly config: TopologyTestDriverConfig;
  private readonly defaultPartitions: number;
  private readonly commitEachRecord: boolean;
  private nowMs: number;
  /** Partition counts of the topology's topics by unprefixed name (see topologyPartitionCounts). */
  private readonly derivedCounts: ReadonlyMap<string, number>;
  private readonly tasks: StreamTask[] = [];
  /** Real topic → tasks reading it, indexed by partition. */
  private readonly tasksByTopic = new Map<string, StreamTask[]>();
  private readonly tasksBySubtopology = new Map<number, StreamTask[]>();
  private readonly globalTask: GlobalStateUpdateTask;
  private readonly globalTopics: Set<string>;
  private readonly outputs = new Map<string, OutputLog>();
  /** Per real topic: partition count, next offsets, reading tasks, output log; one lookup per record. */
  private readonly topicStates = new Map<string, TopicState>();
  private readonly roundRobin = new Map<string, number>();
  /** Tasks with records to process, in arrival order; `pendingFlags` marks membership by task index. */
  private readonly pendingTasks: StreamTask[] = [];
  private pendingCount = 0;
  private readonly pendingFlags = new Map<StreamTask, boolean>();
  private readonly collector: DefaultRecordCollector;
  private readonly host: DriverHost;
  private readonly serdes: SerdePreparer;
  private readonly stateDir: DriverStateDir;
  private processing = false;
  private closed = false;

  constructor(topology: Topology, config: TopologyTestDriverConfig = {}) {
    this.topology = topology;
    this.config = config;
    this.applicationId = config.applicationId ?? 'test-driver-app';
    this.defaultPartitions = config.defaultPartitions ?? 1;
    if (!Number.isInteger(this.defaultPartitions) || this.defaultPartitions < 1) {
      throw new StreamsError(`defaultPartitions must be an integer >= 1, got ${config.defaultPartitions}`);
    }
    const cacheMaxBytes = config.cacheMaxBytes;
    if (cacheMaxBytes !== undefined && (!Number.isSafeInteger(cacheMaxBytes) || cacheMaxBytes < 0)) {
      throw new StreamsError(
        `cacheMaxBytes must be a whole number of bytes >= 0 (0 turns caching off), got ${cacheMaxBytes}`,
      );
    }
    this.commitEachRecord = (config.commit ?? 'after-each-record') === 'after-each-record';
    this.nowMs = config.initialWallClockTimeMs ?? 0;
    const clock = { now: () => this.nowMs };

    const maxRecordBytes = config.maxRecordBytes ?? 1_000_000;
    const producer: RecordProducer = {
      send: (record, partition) => {
        if (sizeOf(record) > maxRecordBytes) throw tooLarge(record, maxRecordBytes);
        this.produce(
          this.topicState(record.topic),
          record.topic,
          partition,
          record.key,
          record.value,
          record.timestamp,
          record.headers,
          true,
        );
      },
      partitionsFor: (topic) => this.partitionsFor(topic),
      flush: () => {},
      ackedOffset: (topic, partition) => {
        const next = this.topicStates.get(topic)?.nextOffsets[partition];
        return next === undefined || next === 0 ? undefined : next - 1;
      },
    };
    this.collector = new DefaultRecordCollector(
      producer,
      config.partitioner === undefined ? {} : { partitioner: config.partitioner },
    );
    this.serdes = new SerdePreparer(topology, (topic) => this.resolve(topic));
    this.host = {
      pipe: (topic, partition, key, value, timestamp, headers) =>
        this.pipe(topic, partition, key, value, timestamp, headers),
      prepare: (records) => this.serdes.prepare(records),
      outputLog: (topic) => this.outputs.get(topic),
      outputSize: (topic) => this.outputs.get(topic)?.size() ?? 0,
      wallClockTimeMs: () => this.nowMs,
    };

    const partitions = config.partitions ?? {};
    this.derivedCounts = topologyPartitionCounts(topology, {
      external: (topic) => this.externalPartitions(topic),
      internalOverride: (name) => partitions[name] ?? partitions[`${this.applicationId}-${name}`],
      patternTopics: (pattern) => this.patternTopics(pattern),
      fallback: this.defaultPartitions,
    });
    checkCopartitioning(
      topology,
      this.derivedCounts,
      (topic) => this.resolve(topic),
      'give them the same count in the partitions option',
    );

    const exceptionHandlers: ExceptionHandlerSettings = {
      deserialization: config.deserializationExceptionHandler,
      processing: config.processingExceptionHandler,
      production: config.productionExceptionHandler,
      deadLetterQueueTopic: config.deadLetterQueueTopic,
      log: config.log,
    };
    this.stateDir = DriverStateDir.open(config.stateDir, topology);
    try {
      this.globalTask = new GlobalStateUpdateTask({
        applicationId: this.applicationId,
        topology,
        clock,
        negativeTimestamp: config.negativeTimestamp,
        stateDir: this.stateDir.path,
      });
      this.globalTopics = new Set(this.globalTask.topics());
      const globalStores = this.globalTask.initialize();

      for (const subtopology of topology.subtopologies) {
        const topics = subtopology.sourceTopics.map((t) => this.resolve(t));
        const numTasks = this.tasksFor(subtopology);
        const tasks: StreamTask[] = [];
        for (let partition = 0; partition < numTasks; partition++) {
          const task = new StreamTask({
            applicationId: this.applicationId,
            taskId: new TaskId(subtopology.id, partition),
            topology,
            inputPartitions: topics
              .filter((t) => this.partitionsFor(t) > partition)
              .map((topic) => ({ topic, partition })),
            collector: this.collector,
            clock,
            maxTaskIdleMs: config.maxTaskIdleMs ?? 0,
            ...(config.logger === undefined ? {} : { logger: config.logger }),
            ...(config.cacheMaxBytes === undefined ? {} : { cacheMaxBytes: config.cacheMaxBytes }),
            negativeTimestamp: config.negativeTimestamp,
            stateDir: this.stateDir.path,
            globalStores,
            exceptionHandlers,
          });
          tasks.push(task);
          this.tasks.push(task);
        }
        this.tasksBySubtopology.set(subtopology.id, tasks);
        for (const topic of topics) this.tasksByTopic.set(topic, tasks);
      }
      for (const task of this.tasks) task.initialize();
    } catch (error) {
      this.stateDir.remove();
      throw error;
    }
  }

  // ---------------------------------------------------------------- topics

  /**
   * An input topic to pipe records into. `name` is the topic as written in the topology (internal topics may be
   * given unprefixed). Throws if no source of the topology reads it.
   */
  createInputTopic<K, V>(
    name: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    options: { startTimestampMs?: number; autoAdvanceMs?: number } = {},
  ): TestInputTopic<K, V> {
    this.assertOpen();
    const topic = this.resolve(name);
    if (this.tasksForTopic(topic) === undefined && !this.globalTopics.has(topic)) {
      const read = [...this.tasksByTopic.keys(), ...this.globalTopics];
      throw new TopologyError(
        `No source of this topology reads topic '${name}' (sources read: ${read.map((t) => `'${t}'`).join(', ') || 'none'}); ` +
          `pipe into one of those, or add a source for '${name}' (e.g. builder.stream('${name}'))`,
      );
    }
    return new TestInputTopic(
      this.host,
      topic,
      keySerde,
      valueSerde,
      options.startTimestampMs ?? this.nowMs,
      options.autoAdvanceMs ?? 0,
    );
  }

  /**
   * An output topic to read what sinks wrote. Throws if no sink of the topology writes to it (sinks choosing
   * their topic per record may write anywhere, so with one of those any name is accepted).
   */
  createOutputTopic<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    this.assertOpen();
    const topic = this.resolve(name);
    const written = writtenTopics(this.topology, this.applicationId);
    if (!written.dynamic && !written.topics.has(topic) && topic !== this.config.deadLetterQueueTopic) {
      throw new TopologyError(
        `No sink of this topology writes to topic '${name}' (sinks write to: ${[...written.topics].map((t) => `'${t}'`).join(', ') || 'none'}); ` +
          `read one of those, or add a sink for '${name}' (e.g. stream.to('${name}'))`,
      );
    }
    return new TestOutputTopic(this.host, topic, keySerde, valueSerde);
  }

  /** Names of every topic something was written to (outputs, repartition and changelog topics). */
  producedTopicNames(): string[] {
    return [...this.outputs.keys()];
  }

  /**
   * Holds the records piped into input topic `name` "on the broker" from now on: they get offsets, and the tasks
   * reading it know data is waiting (a fetched lag above 0), but the tasks do not have them until
   * `releaseInput(name)`. Records of other topics are processed as usual — except that, as Kafka Streams with
   * `max.task.idle.ms` >= 0 (KIP-695), a task waits while one of its partitions is empty and has data on the
   * broker; with -1 it does not wait. This feeds topics in an order other than timestamp order, e.g. a table
   * topic filled before the application starts but fetched after the stream records that follow it in time.
   */
  holdInput(name: string): void {
    this.assertOpen();
    const topic = this.resolve(name);
    const state = this.topicState(topic);
    if (state.tasks === undefined) {
      throw new TopologyError(
        `holdInput('${name}'): no stream task reads topic '${name}' (global topics are always read at once)`,
      );
    }
    state.held ??= Array.from({ length: state.partitions }, () => []);
  }

  /** Hands every record held for `name` to its task (as one fetch, in offset order) and processes. */
  releaseInput(name: string): void {
    this.assertOpen();
    const topic = this.resolve(name);
    const state = this.topicState(topic);
    const held = state.held;
    if (held === undefined) {
      throw new StreamsError(
        `releaseInput('${name}'): topic '${name}' is not held; call holdInput('${name}') first`,
      );
    }
    state.held = undefined;
    for (let partition = 0; partition < held.length; partition++) {
      const task = state.tasks![partition]!;
      for (const record of held[partition]!) task.addRecord(record);
      task.setFetchedLag({ topic, partition }, 0);
      this.markPending(task);
    }
    this.processUntilQuiescent();
    if (this.commitEachRecord) this.commitAll();
  }

  // ---------------------------------------------------------------- time, commit

  /** Move the mock wall clock, fire wall-clock punctuators, process what waited for `maxTaskIdleMs`, commit. */
  advanceWallClockTime(ms: number): void {
    this.assertOpen();
    if (ms < 0) throw new StreamsError(`advanceWallClockTime(${ms}): the wall clock cannot go backwards`);
    this.nowMs += ms;
    for (const task of this.tasks) {
      task.maybePunctuateSystemTime(this.nowMs);
      if (task.numBuffered() > 0) this.markPending(task);
    }
    this.processUntilQuiescent();
    this.commitAll();
  }

  wallClockTimeMs(): number {
    return this.nowMs;
  }

  /** Commit every task: flush store caches downstream and process what that produced. */
  commit(): void {
    this.assertOpen();
    this.commitAll();
  }

  /** Counters of every task, by task id (`0_1` = sub-topology 0, partition 1). */
  taskMetrics(): Map<string, TaskMetrics> {
    const metrics = new Map<string, TaskMetrics>();
    for (const task of this.tasks) metrics.set(String(task.id), task.metrics());
    return metrics;
  }

  // ---------------------------------------------------------------- stores

  /** A read-only view of key-value store `name` over all tasks (merged, in key order). */
  getKeyValueStore<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    const stores = this.storesOf(name, 'key-value') as unknown as KeyValueStore<K, V>[];
    return new MergedKeyValueStoreView(name, () => stores);
  }

  /** A read-only view of window store `name` over all tasks. */
  getWindowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
    const stores = this.storesOf(name, 'window') as unknown as WindowStore<K, V>[];
    return new MergedWindowStoreView(name, () => stores);
  }

  /** A read-only view of session store `name` over all tasks. */
  getSessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
    const stores = this.storesOf(name, 'session') as unknown as SessionStore<K, V>[];
    return new MergedSessionStoreView(name, () => stores);
  }

  /** Every store instance by name: one per task that owns the store (in partition order), one for a global store. */
  getAllStateStores(): Map<string, StateStore[]> {
    const all = new Map<string, StateStore[]>();
    for (const task of this.tasks) {
      for (const [name, store] of task.allStores()) {
        const list = all.get(name);
        if (list === undefined) all.set(name, [store]);
        else list.push(store);
      }
    }
    for (const global of this.topology.globalStores) {
      const store = this.globalTask.getStore(global.storeBuilder.name);
      if (store !== undefined) all.set(global.storeBuilder.name, [store]);
    }
    return all;
  }

  /** The store instance of the task (sub-topology owning the store) on `partition`. */
  getTaskStore(name: string, partition: number): StateStore {
    const stores = this.storesOf(name, undefined);
    const store = stores[partition];
    if (store === undefined) {
      throw new StreamsError(
        `Store '${name}' has ${stores.length} task instance(s); partition ${partition} does not exist`,
      );
    }
    return store;
  }

  // ---------------------------------------------------------------- close

  /** Commit, close every task and the global stores, delete the state directory it made. Cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.commitAll();
    this.closed = true;
    try {
      for (const task of this.tasks) {
        task.suspend();
        task.closeClean();
      }
      this.globalTask.close();
    } finally {
      this.stateDir.remove();
    }
  }

  // ---------------------------------------------------------------- internals

  private assertOpen(): void {
    if (this.closed) throw new IllegalStateError('The TopologyTestDriver is closed; create a new one');
  }

  private resolve(topic: string): string {
    return this.topology.resolveTopic(this.applicationId, topic);
  }

  private pipe(
    topic: string,
    partition: number | undefined,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
  ): void {
    this.assertOpen();
    const state = this.topicState(topic);
    const numPartitions = state.partitions;
    let target = partition;
    if (target === undefined) target = this.choosePartition(topic, key, numPartitions);
    else if (!Number.isInteger(target) || target < 0 || target >= numPartitions) {
      throw new StreamsError(
        `Cannot pipe into partition ${target} of topic '${topic}', which has ${numPartitions} partition(s); ` +
          `configure more with TopologyTestDriver's partitions option`,
      );
    }
    this.produce(state, topic, target, key, value, timestamp, headers, false);
    this.processUntilQuiescent();
    if (this.commitEachRecord) this.commitAll();
  }

  private choosePartition(topic: string, key: Buffer | null, numPartitions: number): number {
    if (key === null) {
      const next = this.roundRobin.get(topic) ?? 0;
      this.roundRobin.set(topic, next + 1);
      return next % numPartitions;
    }
    if (this.config.partitioner !== undefined) return this.config.partitioner(topic, key, numPartitions);
    return defaultPartition(key, numPartitions);
  }

  /**
   * The in-memory producer: append to the topic, capture what the topology wrote (`capture`; piped input is
   * not captured), route to the task reading that partition.
   */
  private produce(
    state: TopicState,
    topic: string,
    resolvedPartition: number | undefined,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
    capture: boolean,
  ): void {
    const numPartitions = state.partitions;
    const partition = resolvedPartition ?? this.choosePartition(topic, key, numPartitions);
    if (partition >= numPartitions) {
      throw new StreamsError(
        `Record for partition ${partition} of topic '${topic}', which has ${numPartitions} partition(s)`,
      );
    }
    const offsets = state.nextOffsets;
    const offset = offsets[partition]!;
    offsets[partition] = offset + 1;
    if (capture) {
      let log = state.log;
      if (log === undefined) {
        log = new OutputLog(topic);
        state.log = log;
        this.outputs.set(topic, log);
      }
      log.write(partition, offset, key, value, timestamp, headers);
    }
    const tasks = state.tasks;
    if (tasks !== undefined) {
      const task = tasks[partition];
      if (task === undefined) {
        throw new StreamsError(
          `No task reads partition ${partition} of topic '${topic}' (it has ${tasks.length} task(s))`,
        );
      }
      const record: ConsumerRecord = { topic, partition, offset, key, value, timestamp, headers };
      const held = capture ? undefined : state.held;
      if (held !== undefined) {
        // On the "broker" only: the task knows data is there (its fetched lag) but has not fetched it.
        const queue = held[partition]!;
        queue.push(record);
        task.setFetchedLag({ topic, partition }, queue.length);
        return;
      }
      task.addRecord(record);
      if (this.pendingFlags.get(task) !== true) this.markPending(task);
    } else if (state.global) {
      this.globalTask.update({
        topic,
        partition,
        offset,
        key,
        value,
        timestamp,
        headers,
      });
      if (this.commitEachRecord) this.globalTask.flushState();
    }
  }

  private processUntilQuiescent(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      const now = this.nowMs;
      let index = 0;
      while (index < this.pendingCount) {
        const task = this.pendingTasks[index++]!;
        this.pendingFlags.set(task, false);
        while (task.process(now)) task.maybePunctuateStreamTime();
      }
      this.pendingCount = 0;
    } finally {
      this.processing = false;
    }
  }

  private commitAll(): void {
    do {
      for (const task of this.tasks) {
        if (!task.commitNeeded()) continue;
        task.flushForCommit();
        task.postCommit();
      }
      this.globalTask.flushState();
      this.processUntilQuiescent();
    } while (this.anyCommitNeeded());
  }

  private anyCommitNeeded(): boolean {
    for (const task of this.tasks) if (task.commitNeeded()) return true;
    return false;
  }

  private markPending(task: StreamTask): void {
    if (this.pendingFlags.get(task) === true) return;
    this.pendingFlags.set(task, true);
    this.pendingTasks[this.pendingCount++] = task;
  }

  private topicState(topic: string): TopicState {
    let state = this.topicStates.get(topic);
    if (state === undefined) {
      const partitions = this.partitionsFor(topic);
      state = {
        partitions,
        nextOffsets: new Array<number>(partitions).fill(0),
        tasks: this.tasksForTopic(topic),
        global: this.globalTopics.has(topic),
        log: this.outputs.get(topic),
        held: undefined,
      };
      this.topicStates.set(topic, state);
    }
    return state;
  }

  private tasksForTopic(topic: string): StreamTask[] | undefined {
    const tasks = this.tasksByTopic.get(topic);
    if (tasks !== undefined) return tasks;
    for (const subtopology of this.topology.subtopologies) {
      for (const node of subtopology.nodes.values()) {
        if (node.kind !== 'source' || node.pattern === undefined) continue;
        node.pattern.lastIndex = 0;
        if (node.pattern.test(topic)) {
          const found = this.tasksBySubtopology.get(subtopology.id);
          if (found !== undefined) this.tasksByTopic.set(topic, found);
          return found;
        }
      }
    }
    return undefined;
  }

  /** Partition count of a real topic name: derived for internal topics, configured or default otherwise. */
  private partitionsFor(topic: string): number {
    const internal = this.internalName(topic);
    const count = internal !== undefined ? this.derivedCounts.get(internal) : this.externalPartitions(topic);
    return count ?? this.defaultPartitions;
  }

  private externalPartitions(topic: string): number {
    const count = this.config.partitions?.[topic] ?? this.defaultPartitions;
    if (!Number.isInteger(count) || count < 1) {
      throw new StreamsError(`Topic '${topic}' must have at least 1 partition (configured: ${count})`);
    }
    return count;
  }

  /** The unprefixed name of an internal topic (declared, or the changelog of a logged store). */
  private internalName(topic: string): string | undefined {
    const prefix = `${this.applicationId}-`;
    if (!topic.startsWith(prefix)) return undefined;
    const name = topic.slice(prefix.length);
    return this.topology.internalTopics.has(name) ? name : undefined;
  }

  /** Configured topics a pattern source reads. */
  private patternTopics(pattern: RegExp): string[] {
    return Object.keys(this.config.partitions ?? {}).filter((topic) => {
      pattern.lastIndex = 0;
      return pattern.test(topic);
    });
  }

  /** Number of tasks of a sub-topology: the largest partition count of its source topics. */
  private tasksFor(subtopology: Subtopology): number {
    let max = 0;
    for (const topic of subtopology.sourceTopics)
      max = Math.max(max, this.partitionsFor(this.resolve(topic)));
    for (const node of subtopology.nodes.values()) {
      if (node.kind !== 'source' || node.pattern === undefined) continue;
      for (const topic of this.patternTopics(node.pattern)) max = Math.max(max, this.partitionsFor(topic));
    }
    return max > 0 ? max : this.defaultPartitions;
  }

  private storesOf(name: string, expected: StoreKind | undefined): StateStore[] {
    this.assertOpen();
    const stores: StateStore[] = [];
    const owner = this.topology.subtopologies.find((s) => s.storeNames.includes(name));
    if (owner !== undefined) {
      for (const task of this.tasksBySubtopology.get(owner.id) ?? []) {
        const store = task.getStore(name);
        if (store !== undefined) stores.push(store);
      }
    } else {
      const global = this.globalTask.getStore(name);
      if (global !== undefined) stores.push(global);
    }
    if (stores.length === 0) {
      const known = [
        ...this.topology.storeBuilders.keys(),
        ...this.topology.globalStores.map((g) => g.storeBuilder.name),
      ];
      throw new StreamsError(
        `This topology has no store named '${name}' (stores: ${known.map((k) => `'${k}'`).join(', ') || 'none'}); ` +
          'name the store with Materialized.as(...) or Stores and use that name',
      );
    }
    if (expected !== undefined) checkStoreKind(name, stores[0]!, expected);
    return stores;
  }
}

/** The size librdkafka compares with `message.max.bytes`: key, value and headers. */
function sizeOf(record: ProducerRecord): number {
  let bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  if (record.headers.size === 0) return bytes;
  for (const header of record.headers) bytes += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return bytes;
}

function tooLarge(record: ProducerRecord, max: number): RecordTooLargeError {
  return new RecordTooLargeError(
    `The producer refused a record of ${sizeOf(record)} bytes for topic '${record.topic}': larger than ` +
      `message.max.bytes (${max}); raise maxRecordBytes, or let productionExceptionHandler skip such records`,
  );
}
