import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, IllegalStateError, StreamsError, TopologyError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { KafkaAdmin } from '@tributary/kafka';
import {
  InvalidStateStoreError,
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
import { BehaviorSubject, type Observable } from 'rxjs';
import { GlobalStreamThread } from './internal/GlobalStreamThread.js';
import { type PartitionCounts, prepareTopics } from './internal/InternalTopicManager.js';
import { loadTopology } from './internal/loadTopology.js';
import { ProcessStreamThread } from './internal/ProcessStreamThread.js';
import { processId } from './internal/processId.js';
import { StateDirectoryLock } from './internal/StateDirectoryLock.js';
import { StreamThread } from './internal/StreamThread.js';
import type { StreamThreadHandle } from './internal/StreamThreadHandle.js';
import type { KafkaStreamsState, StreamsUncaughtExceptionHandler } from './KafkaStreamsState.js';
import type { StateRestoreListener } from './StateRestoreListener.js';
import { StreamsConfig, type StreamsConfigInput } from './StreamsConfig.js';
import type { TopologyModule } from './TopologyModule.js';

// Stream-thread processes always run the built script; from sources (tests) that is the sibling dist/ folder.
const THREAD_SCRIPT = new URL(
  import.meta.url.endsWith('.ts')
    ? '../dist/internal/streamThreadProcess.js'
    : './internal/streamThreadProcess.js',
  import.meta.url,
);

/** An error's message with its causes, for a log line. */
function messageOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(' <- caused by: ');
}

function checkSupported(topology: Topology): void {
  if (
    topology.subtopologies.some((s) => [...s.nodes.values()].some((n) => n.kind === 'source' && n.pattern))
  ) {
    throw new TopologyError(
      'pattern subscriptions are not supported by KafkaStreams yet; subscribe to topic names',
    );
  }
}

const TRANSITIONS: Readonly<Record<KafkaStreamsState, readonly KafkaStreamsState[]>> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'ERROR', 'REBALANCING'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  ERROR: ['PENDING_SHUTDOWN'],
};

/**
 * Runs a Topology on Kafka: creates internal topics, starts `num.stream.threads` stream threads in the
 * consumer group `application.id`, and commits at-least-once or exactly-once (v2).
 *
 * Given a `Topology`, all stream threads share this event loop (one core). Given a `TopologyModule`, each
 * stream thread runs in its own child process, which imports the module and builds its own topology, so an
 * instance with `num.stream.threads` > 1 uses that many cores. (Processes, not worker threads: the Kafka
 * client's native binding can be loaded only once per process.)
 */
export class KafkaStreams {
  readonly config: StreamsConfig;
  private readonly stateSubject = new BehaviorSubject<KafkaStreamsState>('CREATED');
  private readonly threads: StreamThreadHandle[] = [];
  private readonly rebalancing = new Set<StreamThreadHandle>();
  private topology: Topology | undefined;
  private readonly source: TopologyModule | undefined;
  private global: GlobalStreamThread | undefined;
  private globalStores: ReadonlyMap<string, StateStore> = new Map();
  private handler: StreamsUncaughtExceptionHandler = () => 'SHUTDOWN_CLIENT';
  private restoreListener: StateRestoreListener = {};
  private counts: PartitionCounts = new Map();
  private pid = '';
  private threadCounter = 0;
  private closing: Promise<void> | undefined;
  private failure: unknown;
  private stateDirLock: StateDirectoryLock | undefined;

  constructor(topology: Topology | TopologyModule, config: StreamsConfigInput | StreamsConfig) {
    this.config = config instanceof StreamsConfig ? config : new StreamsConfig(config);
    if ('module' in topology) {
      const functions = this.config.functionHandlerKeys();
      if (functions.length > 0) {
        throw new ConfigError(
          `${functions.join(', ')} ${functions.length > 1 ? 'are functions' : 'is a function'}, which cannot reach stream ` +
            "threads running in processes of their own (a TopologyModule); use 'logAndContinue'/'continue' or " +
            "'logAndFail'/'fail', or give KafkaStreams a Topology object",
        );
      }
      this.source = topology;
    } else {
      checkSupported(topology);
      this.topology = topology;
    }
  }

  /** The current state; `state$` emits every change (and the current state on subscribe). */
  get state(): KafkaStreamsState {
    return this.stateSubject.value;
  }

  get state$(): Observable<KafkaStreamsState> {
    return this.stateSubject.asObservable();
  }

  /** The error that moved the instance to ERROR, if any. */
  get error(): unknown {
    return this.failure;
  }

  /** Decides, per thread death, whether to replace the thread or shut the whole client down (the default). */
  setUncaughtExceptionHandler(handler: StreamsUncaughtExceptionHandler): void {
    if (this.state !== 'CREATED')
      throw new IllegalStateError('set the uncaught exception handler before start()');
    this.handler = handler;
  }

  /**
   * Listens to changelog restoration of every stream thread (in-process or a process of its own), as Kafka
   * Streams' `setGlobalStateRestoreListener`. Set it before start().
   */
  setGlobalStateRestoreListener(listener: StateRestoreListener): void {
    if (this.state !== 'CREATED')
      throw new IllegalStateError('set the state restore listener before start()');
    this.restoreListener = listener;
  }

  /**
   * Interactive queries: a read-only view of key-value store `name` over every task of this instance (and of a
   * global store), merged in key order — Kafka Streams' `store(StoreQueryParameters...)` for local stores. The
   * view follows the tasks as they move; reads throw InvalidStateStoreError unless the instance is RUNNING.
   * Reads see the stores' latest writes, committed or not. Keys hosted by other instances are not found here.
   */
  keyValueStore<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    return new MergedKeyValueStoreView(name, () => this.queryableStores(name) as KeyValueStore<K, V>[]);
  }

  /** Interactive queries on window store `name` (see keyValueStore). */
  windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
    return new MergedWindowStoreView(name, () => this.queryableStores(name) as WindowStore<K, V>[]);
  }

  /** Interactive queries on session store `name` (see keyValueStore). */
  sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
    return new MergedSessionStoreView(name, () => this.queryableStores(name) as SessionStore<K, V>[]);
  }

  private queryableStores(name: string): StateStore[] {
    if (this.state !== 'RUNNING') {
      throw new InvalidStateStoreError(
        `Cannot query store '${name}' while KafkaStreams is ${this.state}: stores answer queries while RUNNING ` +
          '(during a rebalance their tasks may be moving); retry when state$ says RUNNING',
      );
    }
    if (this.source !== undefined) {
      throw new InvalidStateStoreError(
        `Cannot query store '${name}': given a topology module, the stream threads run as processes of their own ` +
          'and their stores are not reachable from this process; give KafkaStreams a Topology object to query its stores',
      );
    }
    const global = this.globalStores.get(name);
    if (global !== undefined) return [global];
    const topology = this.topology!;
    if (!topology.storeBuilders.has(name)) {
      throw new InvalidStateStoreError(
        `The topology has no store '${name}'; its stores: ${[...topology.storeBuilders.keys()].join(', ') || 'none'}`,
      );
    }
    return this.threads.flatMap((thread) => thread.localStores?.(name) ?? []);
  }

  /** Task ids per thread name, e.g. `{ 'app-StreamThread-1': ['0_0', '1_0'] }`. */
  tasksByThread(): Record<string, string[]> {
    return Object.fromEntries(
      this.threads.filter((t) => t.state !== 'dead').map((t) => [t.name, t.taskIds()]),
    );
  }

  /** Commits completed so far, summed over threads. */
  get commitCount(): number {
    return this.threads.reduce((sum, t) => sum + t.commitCount, 0);
  }

  /** Creates internal topics, checks source topics and co-partitioning, then starts the stream threads. */
  async start(): Promise<void> {
    if (this.state !== 'CREATED') {
      throw new IllegalStateError(
        `start() called in state ${this.state}; a KafkaStreams instance starts once`,
      );
    }
    const log = this.config.logger;
    log.info(
      {
        application: this.config.applicationId,
        bootstrap: this.config.bootstrapServers,
        guarantee: this.config.processingGuarantee,
        threads: this.config.numStreamThreads,
        stateDir: this.config.stateDir,
      },
      'starting',
    );
    this.transition('REBALANCING');
    try {
      // First, and before the process id is read: a second instance on this state.dir would share transactional
      // ids with this one (they fence each other) and its stores.
      this.stateDirLock = StateDirectoryLock.acquire(this.config.stateDir, this.config.applicationId);
      if (this.source) {
        this.topology = await loadTopology(this.source);
        checkSupported(this.topology);
      }
      const admin = KafkaAdmin.create(this.config.adminConfig());
      try {
        this.counts = await prepareTopics(
          this.topology!,
          this.config.applicationId,
          admin,
          this.config.replicationFactor,
        );
      } finally {
        admin.close();
      }
      this.pid = processId(this.config.stateDir, this.config.applicationId);
      // GlobalKTables are loaded in full before any stream thread starts (stream-thread processes load their own).
      if (!this.source && this.topology!.globalStores.length > 0) {
        this.global = new GlobalStreamThread(this.topology!, this.config, (error) => this.fail(error));
        this.globalStores = await this.global.start();
      }
      for (let i = 0; i < this.config.numStreamThreads; i++) await this.startThread();
      log.info(
        { application: this.config.applicationId, processId: this.pid, threads: this.threads.length },
        'stream threads started; waiting for the group to assign partitions',
      );
    } catch (error) {
      log.error({ application: this.config.applicationId, error }, `start failed: ${messageOf(error)}`);
      this.failure = error;
      this.transition('ERROR');
      await Promise.all(this.threads.map((t) => t.shutdown()));
      await this.global?.shutdown();
      this.stateDirLock?.release();
      this.stateDirLock = undefined;
      throw error;
    }
  }

  /** Commits, closes every thread's tasks and clients, and resolves when all is flushed (or after `timeoutMs`). */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    this.closing ??= (async () => {
      if (this.state !== 'NOT_RUNNING') this.transition('PENDING_SHUTDOWN');
      try {
        await Promise.all(this.threads.map((t) => t.shutdown()));
        await this.global?.shutdown();
      } finally {
        this.stateDirLock?.release();
        this.stateDirLock = undefined;
      }
      this.transition('NOT_RUNNING');
    })();
    if (options.timeoutMs === undefined) {
      await this.closing;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.timeoutMs);
    });
    const result = await Promise.race([this.closing.then(() => true), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** Deletes this application's local state directory. Only when not running. */
  cleanUp(): void {
    if (this.state !== 'CREATED' && this.state !== 'NOT_RUNNING' && this.state !== 'ERROR') {
      throw new IllegalStateError(`cleanUp() while ${this.state}; call it before start() or after close()`);
    }
    // Not while another instance uses the directory: take its lock first (this instance may hold it, in ERROR).
    const lock =
      this.stateDirLock ?? StateDirectoryLock.acquire(this.config.stateDir, this.config.applicationId);
    try {
      rmSync(join(this.config.stateDir, this.config.applicationId), { recursive: true, force: true });
    } finally {
      if (lock !== this.stateDirLock) lock.release();
    }
  }

  private async startThread(): Promise<void> {
    const index = ++this.threadCounter;
    const name = `${this.config.applicationId}-StreamThread-${index}`;
    const events = {
      onRebalance: (t: StreamThreadHandle, phase: 'started' | 'done') => this.onRebalance(t, phase),
      onTaskMigrated: () => {},
      onError: (t: StreamThreadHandle, error: unknown) => void this.onThreadError(t, error),
      restoreListener: this.restoreListener,
    };
    const thread: StreamThreadHandle = this.source
      ? new ProcessStreamThread(
          name,
          THREAD_SCRIPT,
          {
            module: this.source.module.toString(),
            exportName: this.source.exportName,
            config: this.config.cloneableInput,
            counts: [...this.counts],
            processId: this.pid,
            index,
            name,
          },
          events,
        )
      : new StreamThread(
          name,
          this.topology!,
          this.config,
          this.counts,
          this.pid,
          index,
          events,
          this.globalStores,
        );
    this.threads.push(thread);
    this.rebalancing.add(thread);
    await thread.start();
  }

  private onRebalance(thread: StreamThreadHandle, phase: 'started' | 'done'): void {
    if (this.state !== 'RUNNING' && this.state !== 'REBALANCING') return;
    if (phase === 'started') {
      this.rebalancing.add(thread);
      if (this.state === 'RUNNING') this.transition('REBALANCING');
    } else {
      this.rebalancing.delete(thread);
      if (this.rebalancing.size === 0 && this.state === 'REBALANCING') this.transition('RUNNING');
    }
  }

  private async onThreadError(thread: StreamThreadHandle, error: unknown): Promise<void> {
    this.config.logger.error(
      { application: this.config.applicationId, thread: thread.name, error },
      `stream thread died: ${messageOf(error)}`,
    );
    this.rebalancing.delete(thread);
    if (this.state === 'PENDING_SHUTDOWN' || this.state === 'NOT_RUNNING') return;
    let response: ReturnType<StreamsUncaughtExceptionHandler>;
    try {
      response = this.handler(error);
    } catch {
      response = 'SHUTDOWN_CLIENT';
    }
    if (response === 'REPLACE_THREAD') {
      await this.startThread().catch((e) => this.fail(e));
      return;
    }
    this.fail(error);
  }

  private fail(error: unknown): void {
    this.failure =
      error instanceof StreamsError
        ? error
        : new StreamsError(`stream thread failed: ${String(error)}`, { cause: error });
    if (this.state !== 'ERROR') this.transition('ERROR');
    void Promise.all(this.threads.map((t) => t.shutdown()));
  }

  private transition(to: KafkaStreamsState): void {
    const from = this.state;
    if (from === to && to !== 'REBALANCING') return;
    if (!TRANSITIONS[from].includes(to)) {
      throw new IllegalStateError(`KafkaStreams cannot go from ${from} to ${to}`);
    }
    this.stateSubject.next(to);
    this.config.logger.info({ application: this.config.applicationId, from, to }, `state ${from} -> ${to}`);
    if (to === 'NOT_RUNNING') this.stateSubject.complete();
  }
}
