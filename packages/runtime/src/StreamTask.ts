import {
  type Clock,
  type ConsumerRecord,
  type Headers,
  IllegalStateError,
  type Record,
  RecordTooLargeError,
  StreamsError,
  TaskCorruptedError,
  type TaskId,
  TaskMigratedError,
  type TopicPartition,
  TopologyError,
  topicPartitionKey,
} from '@tributary/core';
import type {
  Cancellable,
  PunctuationType,
  Punctuator,
  SourceNode,
  Subtopology,
  Topology,
} from '@tributary/dsl';
import type { StateStore, StateStoreContext } from '@tributary/state';
import { messageOf } from './internal/messageOf.js';
import { PunctuationQueue, PunctuationSchedule } from './internal/PunctuationQueue.js';
import {
  ProcessorRuntimeNode,
  type RuntimeNode,
  SinkRuntimeNode,
  SourceRuntimeNode,
} from './internal/RuntimeNode.js';
import { TaskExceptionHandlers } from './internal/TaskExceptionHandlers.js';
import type { TaskHost } from './internal/TaskHost.js';
import { TaskStateMachine } from './internal/TaskStateMachine.js';
import { TaskStores } from './internal/TaskStores.js';
import type { NegativeTimestampPolicy } from './NegativeTimestampPolicy.js';
import { PartitionGroup } from './PartitionGroup.js';
import type { RecordCollector } from './RecordCollector.js';
import { RecordQueue } from './RecordQueue.js';
import type { StreamTaskConfig } from './StreamTaskConfig.js';
import type { TaskMetrics } from './TaskMetrics.js';
import type { TaskState } from './TaskState.js';
import type { TopicPartitionOffset } from './TopicPartitionOffset.js';

/**
 * One sub-topology running on one partition: owns fresh processor instances and stores, picks records from its
 * input partitions in timestamp order, keeps stream time, runs punctuators and hands output to its
 * RecordCollector. Everything per record is synchronous.
 *
 * Life cycle (see TaskState): `initializeIfNeeded()` builds and initialises the stores (created → restoring);
 * `completeRestoration()` creates and initialises the processors (restoring → running); `suspend()` closes the
 * processors; `resume()` goes back to restoring; `closeClean()` / `closeDirty()` close the stores from suspended.
 */
export class StreamTask implements TaskHost {
  readonly id: TaskId;
  readonly applicationId: string;
  readonly taskId: TaskId;
  readonly taskName: string;
  readonly collector: RecordCollector;
  readonly clock: Clock;
  readonly subtopology: Subtopology;

  currentNode: RuntimeNode | undefined = undefined;
  currentTimestamp = -1;
  recordMetadata: ConsumerRecord | undefined = undefined;
  commitRequested = false;

  private readonly topology: Topology;
  private readonly stateMachine: TaskStateMachine;
  private readonly partitionGroup: PartitionGroup;
  private readonly nodes: RuntimeNode[] = [];
  private readonly processorNodes: ProcessorRuntimeNode[] = [];
  private readonly sourcesByTopic = new Map<string, SourceRuntimeNode>();
  private readonly patternSources: SourceRuntimeNode[] = [];
  private readonly stores: TaskStores;
  private readonly globalStores: ReadonlyMap<string, StateStore>;
  private readonly streamTimePunctuations = new PunctuationQueue<RuntimeNode>();
  private readonly wallClockPunctuations = new PunctuationQueue<RuntimeNode>();
  private readonly negativeTimestamp: NegativeTimestampPolicy;
  private readonly stateDir: string | undefined;
  private readonly cacheMaxBytes: number | undefined;
  private readonly maxUncommittedBytes: number;
  private readonly handlers: TaskExceptionHandlers;
  private isRunning = false;
  /** The source of the last processed record's topic (a per-record map lookup saved). */
  private lastSourceTopic: string | undefined = undefined;
  private lastSource: SourceRuntimeNode | undefined = undefined;
  private needsCommit = false;
  private processed = 0;
  private dropped = 0;
  private punctuated = 0;

  constructor(config: StreamTaskConfig) {
    this.id = config.taskId;
    this.taskId = config.taskId;
    this.applicationId = config.applicationId;
    this.taskName = `Task ${config.taskId}`;
    this.stores = new TaskStores(this.taskName);
    this.collector = config.collector;
    this.clock = config.clock;
    this.topology = config.topology;
    this.negativeTimestamp = config.negativeTimestamp ?? 'fail';
    this.stateDir = config.stateDir;
    this.cacheMaxBytes = config.cacheMaxBytes;
    this.maxUncommittedBytes = config.maxUncommittedBytes ?? 64 * 1024 * 1024;
    this.globalStores = config.globalStores ?? new Map();
    this.stateMachine = new TaskStateMachine(this.taskName);
    this.handlers = new TaskExceptionHandlers(
      config.exceptionHandlers ?? {},
      config.taskId,
      this.taskName,
      config.collector,
    );
    const subtopology = config.topology.subtopologies.find((s) => s.id === config.taskId.subtopology);
    if (subtopology === undefined) {
      throw new TopologyError(
        `${this.taskName}: the topology has no sub-topology ${config.taskId.subtopology} ` +
          `(it has ${config.topology.subtopologies.map((s) => s.id).join(', ') || 'none'})`,
      );
    }
    this.subtopology = subtopology;
    this.buildNodes(subtopology);
    const logger = config.logger;
    this.partitionGroup = new PartitionGroup(
      [],
      config.maxTaskIdleMs ?? 0,
      logger === undefined
        ? undefined
        : (partitions, wallClockTimeMs) =>
            logger.info(
              { task: String(config.taskId), partitions: partitions.map(topicPartitionKey), wallClockTimeMs },
              `${this.taskName}: processing on although ${partitions.map(topicPartitionKey).join(', ')} ` +
                'has no buffered records (max.task.idle.ms passed; enforced processing, counted in ' +
                'enforcedProcessingTotal): records of those partitions arriving later may be out of order',
            ),
    );
    for (const partition of config.inputPartitions) this.partitionGroup.addQueue(this.newQueue(partition));
  }

  // ---------------------------------------------------------------- life cycle

  get state(): TaskState {
    return this.stateMachine.state;
  }

  /** created → restoring: build this task's stores and initialise them (a no-op in other states but closed). */
  initializeIfNeeded(): void {
    if (this.stateMachine.state !== 'created') return;
    for (const name of this.subtopology.storeNames) {
      const builder = this.topology.storeBuilders.get(name);
      if (builder === undefined) {
        throw new TopologyError(
          `Sub-topology ${this.subtopology.id} uses store '${name}', but the topology has no builder for it; add the store to the topology`,
        );
      }
      // As Kafka Streams: a cache budget of 0 builds every store without its caching layer.
      const store = (
        this.cacheMaxBytes === 0 && builder.cachingEnabled ? builder.withCachingDisabled() : builder
      ).build();
      const context = this.storeContext(name);
      store.init(context);
      this.stores.add(name, store, context.changelogTopic);
    }
    this.stateMachine.transitionTo('restoring');
  }

  /** restoring → running: create and initialise the processors (after any changelog restoration). */
  completeRestoration(): void {
    this.stateMachine.transitionTo('running');
    for (const node of this.processorNodes) node.init();
    this.isRunning = true;
  }

  /** Both steps at once, for tasks without changelog restoration (the test driver). */
  initialize(): void {
    this.initializeIfNeeded();
    this.completeRestoration();
  }

  /** → suspended: close the processors and cancel their punctuators; stores stay open. */
  suspend(): void {
    const from = this.stateMachine.state;
    this.stateMachine.transitionTo('suspended');
    this.isRunning = false;
    if (from === 'running') this.closeProcessors();
  }

  /** suspended → restoring; `completeRestoration()` then re-creates the processors. */
  resume(): void {
    this.stateMachine.require('resume', 'suspended');
    this.stateMachine.transitionTo('restoring');
  }

  /** suspended → closed: flush and close the stores. Call after a successful commit. */
  closeClean(): void {
    this.stateMachine.require('close cleanly', 'suspended');
    this.stores.flush(() => undefined);
    this.closeStores();
    this.stateMachine.transitionTo('closed');
  }

  /** suspended → closed without flushing (the task was lost or is corrupted). */
  closeDirty(): void {
    this.stateMachine.require('close dirty', 'suspended');
    try {
      this.closeStores();
    } finally {
      this.stateMachine.transitionTo('closed');
    }
  }

  /** closed → created, to be initialised again (after a TaskCorruptedError wiped its state). */
  revive(): void {
    this.stateMachine.transitionTo('created');
  }

  // ---------------------------------------------------------------- records

  /** Buffer consumed records of one input partition; returns how many that partition now buffers. */
  addRecords(partition: TopicPartition, records: Iterable<ConsumerRecord>): number {
    return this.queueFor(partition).addRawRecords(records);
  }

  /** Buffer one consumed record; returns how many its partition now buffers. */
  addRecord(record: ConsumerRecord): number {
    return this.queueFor(record).addRawRecord(record);
  }

  /**
   * The consumer's view of an input partition's data still on the broker (end offset - position; undefined =
   * not known): with lag above 0 the task waits for that data before processing others (KIP-695).
   */
  setFetchedLag(partition: TopicPartition, lag: number | undefined): void {
    this.partitionGroup.setFetchedLag(partition, lag);
  }

  /** Whether `process` would take a record now (see PartitionGroup and `maxTaskIdleMs`). */
  isProcessable(wallClockTimeMs: number = this.clock.now()): boolean {
    return this.isRunning && this.partitionGroup.readyToProcess(wallClockTimeMs);
  }

  /**
   * Process one buffered record through the sub-topology, synchronously. Returns false when there is nothing to
   * process (or the task must wait for empty partitions). Only in `running`.
   */
  process(wallClockTimeMs: number = this.clock.now()): boolean {
    if (!this.isRunning) this.stateMachine.require('process records', 'running');
    const group = this.partitionGroup;
    if (!group.readyToProcess(wallClockTimeMs)) return false;
    const stamped = group.nextRecord();
    if (stamped === undefined) return false;
    const raw = stamped.raw;
    const record = stamped.record;
    const topic = raw.topic;
    let source = this.lastSource;
    if (topic !== this.lastSourceTopic || source === undefined) {
      source = this.sourceFor(topic)!;
      this.lastSourceTopic = topic;
      this.lastSource = source;
    }
    this.recordMetadata = raw;
    this.currentNode = source;
    this.currentTimestamp = record.timestamp;
    try {
      source.process(record);
    } catch (error) {
      throw this.processingError(error, 'process');
    }
    this.currentNode = undefined;
    this.recordMetadata = undefined;
    this.processed++;
    this.needsCommit = true;
    return true;
  }

  // ---------------------------------------------------------------- punctuation

  /** Fire stream-time punctuators due at the current stream time; returns whether any fired. */
  maybePunctuateStreamTime(): boolean {
    const streamTime = this.partitionGroup.streamTime();
    if (streamTime < 0 || this.streamTimePunctuations.size === 0) return false;
    return this.streamTimePunctuations.mayPunctuate(streamTime, this.punctuate);
  }

  /** Fire wall-clock punctuators due at `nowMs`; returns whether any fired. */
  maybePunctuateSystemTime(nowMs: number = this.clock.now()): boolean {
    if (this.wallClockPunctuations.size === 0) return false;
    return this.wallClockPunctuations.mayPunctuate(nowMs, this.punctuate);
  }

  private readonly punctuate = (schedule: PunctuationSchedule<RuntimeNode>, timestamp: number): void => {
    if (!this.isRunning) this.stateMachine.require('punctuate', 'running');
    this.recordMetadata = undefined;
    this.currentNode = schedule.node;
    this.currentTimestamp = timestamp;
    try {
      schedule.punctuator(timestamp);
    } catch (error) {
      if (this.isFinal(error)) throw this.processingError(error, 'punctuate');
      try {
        this.handlers.onProcessingError(schedule.node.name, undefined, error, undefined, timestamp);
      } catch (failure) {
        throw this.processingError(failure, 'punctuate');
      }
    }
    this.currentNode = undefined;
    this.punctuated++;
    this.needsCommit = true;
  };

  schedule(
    node: RuntimeNode,
    intervalMs: number,
    type: PunctuationType,
    punctuator: Punctuator,
  ): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) {
      throw new StreamsError(
        `Processor '${node.name}' of ${this.taskName} scheduled a punctuator every ${intervalMs} ms; the interval must be an integer >= 1`,
      );
    }
    if (type === 'stream-time') {
      // aligned to 0: the first punctuation happens as soon as stream time is known (Kafka Streams)
      const schedule = new PunctuationSchedule(0, intervalMs, node, punctuator);
      this.streamTimePunctuations.add(schedule);
      return schedule;
    }
    if (type === 'wall-clock') {
      const schedule = new PunctuationSchedule(this.clock.now() + intervalMs, intervalMs, node, punctuator);
      this.wallClockPunctuations.add(schedule);
      return schedule;
    }
    throw new StreamsError(`Unknown punctuation type '${String(type)}'; use 'stream-time' or 'wall-clock'`);
  }

  // ---------------------------------------------------------------- commit

  /** Whether records were processed (or a punctuator ran) since the last commit. */
  commitNeeded(): boolean {
    return this.needsCommit || this.commitRequested;
  }

  /**
   * Whether this task wants a commit before the commit interval is up: a processor called
   * `context.commit()`, or its persistent stores buffer more uncommitted bytes than
   * `statestore.uncommitted.max.bytes` (they keep writes in memory until the commit).
   */
  commitRequestedEarly(): boolean {
    if (this.commitRequested) return true;
    return this.needsCommit && this.stores.uncommittedBytes() > this.maxUncommittedBytes;
  }

  /**
   * First half of a commit: flush the stores (so caches send their results downstream and change-logging
   * stores write their changelog records to the collector). Returns the offsets to commit.
   */
  prepareCommit(): TopicPartitionOffset[] {
    this.flushForCommit();
    return this.committableOffsets();
  }

  /**
   * `prepareCommit()` without computing the offsets: for a caller that keeps no consumer offsets (the test
   * driver commits after every record and would only throw the offsets away).
   */
  flushForCommit(): void {
    const state = this.stateMachine.state;
    if (state === 'created' || state === 'closed') {
      this.stateMachine.require('prepare a commit', 'running', 'restoring', 'suspended');
    }
    this.stores.flush(() => {
      this.currentNode = undefined;
      this.recordMetadata = undefined;
    });
  }

  /**
   * Second half: the commit succeeded. Persistent stores now write what they buffered since the last commit,
   * with the offset of their changelog the data includes (the last acknowledged changelog record + 1), so
   * local state never runs ahead of what Kafka committed.
   */
  postCommit(): void {
    this.needsCommit = false;
    this.commitRequested = false;
    this.stores.commit(this.collector, this.taskId.partition);
  }

  /** The next offset to consume for every input partition that processed a record. */
  committableOffsets(): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const queue of this.partitionGroup.allQueues()) {
      const last = queue.lastConsumedOffset();
      if (last >= 0)
        offsets.push({
          topic: queue.partition.topic,
          partition: queue.partition.partition,
          offset: last + 1,
        });
    }
    return offsets;
  }

  // ---------------------------------------------------------------- queries

  inputPartitions(): TopicPartition[] {
    return this.partitionGroup.partitions();
  }

  /** Highest timestamp processed, or -1 before the first record. */
  streamTime(): number {
    return this.partitionGroup.streamTime();
  }

  partitionTime(partition: TopicPartition): number {
    return this.partitionGroup.partitionTime(partition);
  }

  numBuffered(partition?: TopicPartition): number {
    return this.partitionGroup.numBuffered(partition);
  }

  /** This task's store `name` (initialised), or undefined. */
  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  /** This task's stores by name. */
  allStores(): ReadonlyMap<string, StateStore> {
    return this.stores.all();
  }

  metrics(): TaskMetrics {
    const handlers = this.handlers;
    return {
      processedTotal: this.processed,
      droppedRecordsTotal: this.dropped + handlers.skippedRecords,
      punctuateTotal: this.punctuated,
      enforcedProcessingTotal: this.partitionGroup.enforcedProcessingCount(),
      deserializationErrorsTotal: handlers.deserializationErrors,
      processingErrorsTotal: handlers.processingErrors,
      productionErrorsTotal: handlers.productionErrors,
    };
  }

  // ---------------------------------------------------------------- TaskHost

  recordDropped(): void {
    this.dropped++;
  }

  resolveTopic(topic: string): string {
    return this.topology.resolveTopic(this.applicationId, topic);
  }

  processingFailed(node: RuntimeNode, record: Record<unknown, unknown>, error: unknown): void {
    if (this.isFinal(error)) throw error;
    this.handlers.onProcessingError(node.name, record, error, this.recordMetadata, this.currentTimestamp);
  }

  productionFailed(
    node: RuntimeNode,
    record: { topic: string; key: unknown; value: unknown; timestamp: number; headers: Headers },
    error: unknown,
    origin: 'key' | 'value' | undefined,
    failure: StreamsError,
  ): void {
    // Only serialization errors and records too large are the handler's; any other send error (a client
    // failure, a fenced producer) is the stream thread's to handle, never skipped.
    if (origin === undefined && !(error instanceof RecordTooLargeError)) throw this.handlers.fail(failure);
    this.handlers.onProductionError(
      node.name,
      record,
      error,
      origin,
      this.recordMetadata,
      this.currentTimestamp,
      failure,
    );
  }

  /** Errors no processing handler may see: one this task already failed with, and task migration/corruption. */
  private isFinal(error: unknown): boolean {
    return (
      this.handlers.isFailure(error) ||
      error instanceof TaskMigratedError ||
      error instanceof TaskCorruptedError
    );
  }

  getStateStore(node: RuntimeNode, name: string): StateStore {
    const connected = node instanceof ProcessorRuntimeNode && node.storeNames.has(name);
    if (connected) {
      const store = this.stores.get(name);
      if (store !== undefined) return store;
      throw new TopologyError(
        `Processor '${node.name}' is connected to store '${name}', but sub-topology ${this.subtopology.id} does not own it ` +
          `(its stores: ${this.subtopology.storeNames.join(', ') || 'none'}); add '${name}' to the sub-topology's storeNames`,
      );
    }
    const global = this.globalStores.get(name);
    if (global !== undefined) return global;
    const known = this.topology.storeBuilders.has(name);
    throw new TopologyError(
      known
        ? `Processor '${node.name}' is not connected to store '${name}'; connect it by naming '${name}' in the stores of ` +
            `'${node.name}' (e.g. process(supplier, '${name}'))`
        : `Processor '${node.name}' asked for store '${name}', but the topology has no store of that name` +
            `${this.stores.all().size > 0 ? ` (this task has: ${[...this.stores.all().keys()].join(', ')})` : ''}; add it with addStateStore`,
    );
  }

  // ---------------------------------------------------------------- internals

  private buildNodes(subtopology: Subtopology): void {
    const byName = new Map<string, RuntimeNode>();
    for (const node of subtopology.nodes.values()) {
      let runtime: RuntimeNode;
      if (node.kind === 'source') {
        const source = new SourceRuntimeNode(node, this);
        for (const topic of node.topics) this.sourcesByTopic.set(this.resolveTopic(topic), source);
        if (node.pattern !== undefined) this.patternSources.push(source);
        runtime = source;
      } else if (node.kind === 'processor') {
        const processor = new ProcessorRuntimeNode(node, this);
        this.processorNodes.push(processor);
        runtime = processor;
      } else {
        runtime = new SinkRuntimeNode(node, this);
      }
      byName.set(node.name, runtime);
      this.nodes.push(runtime);
    }
    for (const node of subtopology.nodes.values()) {
      if (node.kind === 'sink') continue;
      const parent = byName.get(node.name)!;
      for (const childName of node.successors) {
        const child = byName.get(childName);
        if (child === undefined) {
          throw new TopologyError(
            `Node '${node.name}' of sub-topology ${subtopology.id} names successor '${childName}', which is not in that sub-topology`,
          );
        }
        parent.addChild(child);
      }
    }
  }

  private sourceFor(topic: string): SourceRuntimeNode | undefined {
    const source = this.sourcesByTopic.get(topic);
    if (source !== undefined) return source;
    for (const candidate of this.patternSources) {
      const pattern = (candidate.node as SourceNode).pattern!;
      pattern.lastIndex = 0;
      if (pattern.test(topic)) {
        this.sourcesByTopic.set(topic, candidate);
        return candidate;
      }
    }
    return undefined;
  }

  private newQueue(partition: TopicPartition): RecordQueue {
    const source = this.sourceFor(partition.topic);
    if (source === undefined) {
      throw new TopologyError(
        `${this.taskName} was given input partition ${partition.topic}-${partition.partition}, but no source of ` +
          `sub-topology ${this.subtopology.id} reads topic '${partition.topic}' (it reads: ${[...this.sourcesByTopic.keys()].join(', ')})`,
      );
    }
    return new RecordQueue(
      partition,
      source.node,
      this.negativeTimestamp,
      () => {
        this.dropped++;
        this.needsCommit = true;
      },
      (raw, cause, failure) => {
        this.handlers.onDeserializationError(source.name, raw, cause, failure);
        // skipped: its offset is committed with the next commit, and with it any dead-letter queue record
        this.needsCommit = true;
      },
    );
  }

  /** The queue of a partition; pattern subscriptions add partitions of newly matching topics on the fly. */
  private queueFor(partition: TopicPartition): RecordQueue {
    if (this.stateMachine.state === 'closed') {
      this.stateMachine.require('buffer records', 'created', 'restoring', 'running', 'suspended');
    }
    let queue = this.partitionGroup.queue(partition);
    if (queue === undefined) {
      if (this.sourcesByTopic.has(partition.topic) || this.sourceFor(partition.topic) === undefined) {
        throw new IllegalStateError(
          `${this.taskName} does not read partition ${partition.topic}-${partition.partition}; its input partitions are ` +
            `${this.inputPartitions()
              .map((p) => `${p.topic}-${p.partition}`)
              .join(', ')}`,
        );
      }
      queue = this.newQueue({ topic: partition.topic, partition: partition.partition });
      this.partitionGroup.addQueue(queue);
    }
    return queue;
  }

  private storeContext(name: string): StateStoreContext {
    const changelog = this.topology.changelogTopic(name);
    return {
      applicationId: this.applicationId,
      taskId: this.taskId,
      changelogTopic: changelog === undefined ? undefined : this.resolveTopic(changelog),
      changelogPartition: this.taskId.partition,
      changelogWriter: this.collector,
      stateDir: this.stateDir,
      ...(this.cacheMaxBytes === undefined ? {} : { cacheMaxBytes: this.cacheMaxBytes }),
      currentTimestamp: () => this.currentTimestamp,
      streamTime: () => this.partitionGroup.streamTime(),
    };
  }

  private closeProcessors(): void {
    this.streamTimePunctuations.clear();
    this.wallClockPunctuations.clear();
    let first: unknown;
    for (const node of this.processorNodes) {
      try {
        node.close();
      } catch (error) {
        first ??= error;
      }
    }
    this.currentNode = undefined;
    if (first !== undefined) throw this.processingError(first, 'close');
  }

  private closeStores(): void {
    this.partitionGroup.clear();
    this.stores.close();
  }

  private processingError(error: unknown, phase: 'process' | 'punctuate' | 'close'): unknown {
    const node = this.currentNode?.name;
    const metadata = this.recordMetadata;
    this.currentNode = undefined;
    this.recordMetadata = undefined;
    if (error instanceof StreamsError) return error;
    const where =
      metadata === undefined
        ? ''
        : `, topic '${metadata.topic}' partition ${metadata.partition} offset ${metadata.offset}`;
    return new StreamsError(
      `Exception caught in ${phase}: ${this.taskName}${node === undefined ? '' : `, processor '${node}'`}${where}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}
