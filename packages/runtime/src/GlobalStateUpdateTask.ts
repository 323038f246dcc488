import { rmSync } from 'node:fs';
import {
  type Clock,
  type ConsumerRecord,
  Headers,
  IllegalStateError,
  StreamsError,
  TaskId,
  TopologyError,
  topicPartitionKey,
} from '@tributary/core';
import type { Cancellable, GlobalStore, PunctuationType, Punctuator, Topology } from '@tributary/dsl';
import { type StateStore, type StateStoreContext, taskDirectory } from '@tributary/state';
import { ProcessorRuntimeNode, type RuntimeNode, SourceRuntimeNode } from './internal/RuntimeNode.js';
import type { TaskHost } from './internal/TaskHost.js';
import type { NegativeTimestampPolicy } from './NegativeTimestampPolicy.js';
import type { RecordCollector } from './RecordCollector.js';
import { RecordQueue } from './RecordQueue.js';

export interface GlobalStateUpdateTaskConfig {
  readonly applicationId: string;
  readonly topology: Topology;
  readonly clock: Clock;
  readonly negativeTimestamp?: NegativeTimestampPolicy;
  readonly stateDir?: string;
}

const GLOBAL_TASK_ID = new TaskId(-1, -1);

/** Global stores never log: their source topic is their changelog. Sinks cannot appear in a global processor. */
const NO_COLLECTOR: RecordCollector = {
  send(): void {
    throw new IllegalStateError(
      'A global store processor cannot forward or log records; global stores are filled from their topic only',
    );
  },
  sendDeadLetter(): void {
    throw new IllegalStateError('A global store processor cannot write to a dead-letter queue');
  },
  partitionsFor(): number {
    throw new IllegalStateError('A global store processor cannot write to topics');
  },
  flush(): void {},
  ackedOffset(): undefined {
    return undefined;
  },
};

/**
 * Feeds records of the global topics through each global store's processor into its store (GlobalKTable).
 * Runs on every instance, over all partitions of the global topics; the test driver updates it synchronously
 * on every piped global record, the Kafka runtime from its global consumer.
 */
export class GlobalStateUpdateTask implements TaskHost {
  readonly applicationId: string;
  readonly taskId = GLOBAL_TASK_ID;
  readonly taskName = 'Global task';
  readonly collector = NO_COLLECTOR;
  readonly clock: Clock;

  currentNode: RuntimeNode | undefined = undefined;
  currentTimestamp = -1;
  recordMetadata: ConsumerRecord | undefined = undefined;
  commitRequested = false;

  private readonly topology: Topology;
  private readonly negativeTimestamp: NegativeTimestampPolicy;
  private readonly stateDir: string | undefined;
  private readonly sourcesByTopic = new Map<string, { source: SourceRuntimeNode; global: GlobalStore }>();
  private readonly processors: ProcessorRuntimeNode[] = [];
  private readonly stores = new Map<string, StateStore>();
  private readonly queues = new Map<string, RecordQueue>();
  private initialized = false;
  private maxTimestamp = -1;
  private droppedTotal = 0;

  constructor(config: GlobalStateUpdateTaskConfig) {
    this.applicationId = config.applicationId;
    this.clock = config.clock;
    this.topology = config.topology;
    this.negativeTimestamp = config.negativeTimestamp ?? 'fail';
    this.stateDir = config.stateDir;
    for (const global of config.topology.globalStores) {
      const source = new SourceRuntimeNode(global.source, this);
      const processor = new ProcessorRuntimeNode(
        {
          kind: 'processor',
          name: global.processorName,
          supplier: global.processorSupplier,
          stores: [global.storeBuilder.name],
          successors: [],
        },
        this,
      );
      source.addChild(processor);
      this.processors.push(processor);
      for (const topic of global.source.topics) {
        const real = this.resolveTopic(topic);
        if (this.sourcesByTopic.has(real)) {
          throw new TopologyError(
            `Global topic '${real}' feeds two global stores; each global store needs its own topic`,
          );
        }
        this.sourcesByTopic.set(real, { source, global });
      }
    }
  }

  /** The global topics (real names). */
  topics(): string[] {
    return [...this.sourcesByTopic.keys()];
  }

  /**
   * Build and initialise the global stores and their processors; returns the stores by name. Persistent global
   * stores start empty: they keep no offsets of their source topic, which is read again from the beginning, and
   * rows deleted from it while the instance was down (tombstones compacted away) must not survive locally.
   */
  initialize(): ReadonlyMap<string, StateStore> {
    if (this.initialized) return this.stores;
    const built = this.topology.globalStores.map((global) => global.storeBuilder.build());
    if (this.stateDir !== undefined && built.some((store) => store.persistent)) {
      rmSync(taskDirectory(this.stateDir, this.applicationId, GLOBAL_TASK_ID), {
        recursive: true,
        force: true,
      });
    }
    built.forEach((store, i) => {
      store.init(this.storeContext());
      this.stores.set(this.topology.globalStores[i]!.storeBuilder.name, store);
    });
    for (const processor of this.processors) processor.init();
    this.initialized = true;
    return this.stores;
  }

  /** Run one record of a global topic through its store's processor. */
  update(record: ConsumerRecord): void {
    if (!this.initialized) throw new IllegalStateError('Global task: call initialize() before update()');
    const entry = this.sourcesByTopic.get(record.topic);
    if (entry === undefined) {
      throw new IllegalStateError(
        `Global task got a record of topic '${record.topic}', which feeds no global store (global topics: ${this.topics().join(', ')})`,
      );
    }
    const key = topicPartitionKey(record);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new RecordQueue(
        { topic: record.topic, partition: record.partition },
        entry.global.source,
        this.negativeTimestamp,
        () => {
          this.droppedTotal++;
        },
      );
      this.queues.set(key, queue);
    }
    queue.addRawRecord(record);
    const stamped = queue.poll();
    if (stamped === undefined) return;
    if (stamped.record.timestamp > this.maxTimestamp) this.maxTimestamp = stamped.record.timestamp;
    this.recordMetadata = record;
    this.currentNode = entry.source;
    this.currentTimestamp = stamped.record.timestamp;
    try {
      entry.source.process(stamped.record);
    } catch (error) {
      const node = this.currentNode?.name;
      this.currentNode = undefined;
      this.recordMetadata = undefined;
      if (error instanceof StreamsError) throw error;
      throw new StreamsError(
        `Exception caught in global store processor '${node ?? entry.global.processorName}' at topic '${record.topic}' ` +
          `partition ${record.partition} offset ${record.offset}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.currentNode = undefined;
    this.recordMetadata = undefined;
  }

  flushState(): void {
    if (this.stores.size === 0) return;
    for (const store of this.stores.values()) {
      store.flush();
      // A persistent global store keeps no changelog offset: its topic is re-read from the beginning at start.
      if (store.persistent) store.commit?.(undefined);
    }
  }

  close(): void {
    for (const processor of this.processors) processor.close();
    for (const store of this.stores.values()) if (store.isOpen()) store.close();
    this.stores.clear();
    this.initialized = false;
  }

  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  droppedRecordsTotal(): number {
    return this.droppedTotal;
  }

  // TaskHost
  recordDropped(): void {
    this.droppedTotal++;
  }

  resolveTopic(topic: string): string {
    return this.topology.resolveTopic(this.applicationId, topic);
  }

  /** Global store processors have no exception handlers: an error stops the global thread. */
  processingFailed(_node: RuntimeNode, _record: unknown, error: unknown): void {
    throw error;
  }

  productionFailed(
    _node: RuntimeNode,
    _record: unknown,
    _error: unknown,
    _origin: unknown,
    failure: StreamsError,
  ): void {
    throw failure;
  }

  streamTime(): number {
    return this.maxTimestamp;
  }

  schedule(
    node: RuntimeNode,
    _intervalMs: number,
    _type: PunctuationType,
    _punctuator: Punctuator,
  ): Cancellable {
    throw new IllegalStateError(`Global store processor '${node.name}' cannot schedule punctuators`);
  }

  getStateStore(node: RuntimeNode, name: string): StateStore {
    const store = this.stores.get(name);
    if (store !== undefined) return store;
    throw new TopologyError(
      `Global store processor '${node.name}' asked for store '${name}'; it can use the global stores ${[...this.stores.keys()].join(', ')}`,
    );
  }

  private storeContext(): StateStoreContext {
    return {
      applicationId: this.applicationId,
      taskId: GLOBAL_TASK_ID,
      changelogTopic: undefined,
      changelogPartition: 0,
      changelogWriter: {
        send: () =>
          NO_COLLECTOR.send({ topic: '', key: null, value: null, timestamp: 0, headers: new Headers() }),
      },
      stateDir: this.stateDir,
      currentTimestamp: () => this.currentTimestamp,
      streamTime: () => this.maxTimestamp,
    };
  }
}
