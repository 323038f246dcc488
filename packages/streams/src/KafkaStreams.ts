import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, IllegalStateError, type Serde, StreamsError, TopologyError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { DefaultKafkaClientSupplier, type KafkaClientSupplier } from '@tributary/kafka';
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
import { BehaviorSubject, Observable } from 'rxjs';
import { GlobalStreamThread } from './internal/GlobalStreamThread.js';
import { InstanceDirectory } from './internal/InstanceDirectory.js';
import {
  InteractiveQueryServer,
  type QueryBackend,
  type QueryEntry,
} from './internal/InteractiveQueryServer.js';
import { type PartitionCounts, prepareTopics } from './internal/InternalTopicManager.js';
import { loadTopology } from './internal/loadTopology.js';
import { metricsSnapshot } from './internal/metricsSnapshot.js';
import { ProcessStreamThread } from './internal/ProcessStreamThread.js';
import { processId } from './internal/processId.js';
import { MAX_REPLACEMENT_BACKOFF_MS, replacementBackoffMs } from './internal/replacementBackoffMs.js';
import { StandbyManager } from './internal/StandbyManager.js';
import { StateDirectoryLock } from './internal/StateDirectoryLock.js';
import { StoreKeyLocator } from './internal/StoreKeyLocator.js';
import { StreamThread } from './internal/StreamThread.js';
import type { StreamThreadHandle } from './internal/StreamThreadHandle.js';
import type {
  KafkaStreamsState,
  StreamsUncaughtExceptionHandler,
  StreamThreadExceptionResponse,
} from './KafkaStreamsState.js';
import type { StandbyUpdateListener } from './StandbyUpdateListener.js';
import type { StateRestoreListener } from './StateRestoreListener.js';
import { StreamsConfig, type StreamsConfigInput } from './StreamsConfig.js';
import type { HostInfo, KeyQueryMetadata, StreamsMetadata } from './StreamsMetadata.js';
import type { PartitionLag, StreamsMetrics } from './StreamsMetrics.js';
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
  private standbyListener: StandbyUpdateListener = {};
  private standbys: StandbyManager | undefined;
  private counts: PartitionCounts = new Map();
  private pid = '';
  private threadCounter = 0;
  private closing: Promise<void> | undefined;
  private failure: unknown;
  /** Commits of threads that died (their handles are dropped). */
  private deadThreadCommits = 0;
  private readonly startedAt = new Map<StreamThreadHandle, number>();
  /** Threads replaced so far, and how many deaths in a row (each within MAX_REPLACEMENT_BACKOFF_MS of its start). */
  private replacements = 0;
  private deathStreak = 0;
  private replacementTimer: NodeJS.Timeout | undefined;
  private readonly clientSupplier: KafkaClientSupplier;
  private stateDirLock: StateDirectoryLock | undefined;
  private queryServer: InteractiveQueryServer | undefined;
  private directory: InstanceDirectory | undefined;
  private locator: StoreKeyLocator | undefined;
  private advertised: HostInfo | undefined;

  /**
   * `clientSupplier` creates the Kafka clients (librdkafka by default), as Kafka's `KafkaClientSupplier`; stream
   * threads that run as processes of their own (a `TopologyModule`) always use the default.
   */
  constructor(
    topology: Topology | TopologyModule,
    config: StreamsConfigInput | StreamsConfig,
    clientSupplier: KafkaClientSupplier = DefaultKafkaClientSupplier,
  ) {
    this.config = config instanceof StreamsConfig ? config : new StreamsConfig(config);
    this.clientSupplier = clientSupplier;
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

  /**
   * Decides, per thread death, whether to replace the thread or shut the whole client down (the default). It is
   * told the thread, how many threads were replaced before, and how long a replacement would wait: deaths in a
   * row are replaced after 0 s, 1 s, 2 s, 4 s … up to 60 s (a death more than 60 s after its thread started
   * begins a new streak), so a record that kills every thread cannot make a crash loop.
   */
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
   * The instance's counters now: per thread and task (records processed, dropped, skipped by the exception
   * handlers, punctuations, enforced processing) and totals. Rates and lag come with `metrics$`. Tasks of stream
   * threads that run as processes are not included.
   */
  metrics(): StreamsMetrics {
    return this.metricsSnapshot(new Map(), 0, [], Date.now());
  }

  /** `metricsEvery(1000)`: a snapshot every second, with rates and consumer lag. */
  get metrics$(): Observable<StreamsMetrics> {
    return this.metricsEvery(1_000);
  }

  /**
   * A metrics snapshot every `intervalMs`, with each task's processing rate over the interval and the lag of
   * every input partition (end offset minus position, asked of the broker once per interval) — off the hot path:
   * tasks only count; this reads the counters on a timer.
   */
  metricsEvery(intervalMs: number): Observable<StreamsMetrics> {
    return new Observable<StreamsMetrics>((subscriber) => {
      let previous = new Map<string, number>();
      let previousAt = Date.now();
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        Promise.all(this.threads.map((t) => t.consumerLag?.() ?? Promise.resolve([])))
          .then((lags) => {
            const now = Date.now();
            const snapshot = this.metricsSnapshot(previous, now - previousAt, lags, now);
            previous = new Map(
              snapshot.threads.flatMap((t) =>
                t.tasks.map((task) => [task.taskId, task.processedTotal] as const),
              ),
            );
            previousAt = now;
            subscriber.next(snapshot);
          })
          .catch((error) => this.config.logger.warn({ error }, 'collecting metrics failed'))
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      return () => clearInterval(timer);
    });
  }

  private metricsSnapshot(
    previous: ReadonlyMap<string, number>,
    elapsedMs: number,
    lags: readonly (readonly PartitionLag[])[],
    at: number,
  ): StreamsMetrics {
    return metricsSnapshot(
      { application: this.config.applicationId, state: this.state, threads: this.threads },
      this.standbys?.taskIds() ?? [],
      previous,
      elapsedMs,
      lags,
      at,
    );
  }

  /** Listens to the standby replicas of this instance (`num.standby.replicas`). Set it before start(). */
  setStandbyUpdateListener(listener: StandbyUpdateListener): void {
    if (this.state !== 'CREATED')
      throw new IllegalStateError('set the standby update listener before start()');
    this.standbyListener = listener;
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

  /** Where this instance serves interactive queries over HTTP (`application.server`, its port once bound). */
  get applicationServer(): HostInfo | undefined {
    return this.advertised;
  }

  /**
   * Every instance of the application that serves queries (`application.server` set), with its tasks, as
   * Kafka Streams' `metadataForAllStreamsClients()`. Known through the internal topic `<application.id>-instances`.
   */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    return this.directory?.all() ?? [];
  }

  /**
   * Which instance holds `key` of store `store`: the key's partition (the default partitioner over the key's
   * bytes, from the store's key serde or `keySerde`) and the host running that partition's task.
   */
  queryMetadataForKey<K>(store: string, key: K, keySerde?: Serde<K>): KeyQueryMetadata {
    const locator = this.locator;
    if (locator === undefined) throw new IllegalStateError('queryMetadataForKey() before start()');
    const { taskId, partition } = locator.locate(store, key, keySerde as Serde<unknown> | undefined);
    const local = this.threads.some((t) => t.taskIds().includes(taskId));
    return {
      activeHost: local ? this.advertised : this.directory?.ownerOf(taskId),
      standbyHosts: this.directory?.standbyHostsOf(taskId) ?? [],
      partition,
    };
  }

  /**
   * The query server (with `application.server`) and the instance directory (for it, and for standby
   * replicas, which need to know where every task runs), then the standby replicas.
   */
  private async startQueryServer(): Promise<void> {
    const server = this.config.applicationServer;
    const standbys = this.config.numStandbyReplicas > 0;
    if (standbys && this.source !== undefined) {
      this.config.logger.warn(
        { application: this.config.applicationId },
        'num.standby.replicas is ignored: stream threads that run as processes (a TopologyModule) keep no standbys yet',
      );
    }
    if (server === undefined) {
      if (!standbys || this.source !== undefined) return;
      this.directory = new InstanceDirectory(this.config, this.pid, { host: '', port: 0 });
      await this.directory.start();
      await this.startStandbys(this.directory);
      return;
    }
    this.queryServer = new InteractiveQueryServer(this.queryBackend(), this.config.queryBindHost);
    const port = await this.queryServer.listen(server.port);
    this.advertised = { host: server.host, port };
    this.directory = new InstanceDirectory(this.config, this.pid, this.advertised);
    await this.directory.start();
    if (standbys && this.source === undefined) await this.startStandbys(this.directory);
    this.config.logger.info(
      {
        application: this.config.applicationId,
        server: `${server.host}:${port}`,
        bind: this.config.queryBindHost,
      },
      'serving interactive queries over HTTP',
    );
  }

  private async startStandbys(directory: InstanceDirectory): Promise<void> {
    const topology = this.topology!;
    const partitionsOf = (subtopology: number): number => {
      const s = topology.subtopologies.find((x) => x.id === subtopology);
      const topic = s?.sourceTopics[0];
      return topic === undefined
        ? 0
        : (this.counts.get(topology.resolveTopic(this.config.applicationId, topic)) ?? 0);
    };
    this.standbys = new StandbyManager(
      topology,
      this.config,
      this.clientSupplier,
      partitionsOf,
      this.pid,
      directory,
      (taskId) => this.threads.some((t) => t.taskIds().includes(taskId)),
      this.standbyListener,
      () => this.announceTasks(),
    );
    await this.standbys.start();
  }

  private async stopQueryServer(): Promise<void> {
    try {
      await this.standbys?.close();
    } catch (error) {
      this.config.logger.warn({ error }, 'closing the standby replicas failed');
    }
    this.standbys = undefined;
    try {
      await this.directory?.close();
    } catch (error) {
      this.config.logger.warn({ error }, 'leaving the instance directory failed');
    }
    try {
      await this.queryServer?.close();
    } catch (error) {
      this.config.logger.warn({ error }, 'closing the interactive-query server failed');
    }
    this.directory = undefined;
    this.queryServer = undefined;
  }

  private announceTasks(): void {
    const directory = this.directory;
    if (directory === undefined) return;
    const tasks = this.threads.flatMap((t) => t.taskIds());
    const ids = new Set(tasks.map((t) => Number(t.split('_')[0])));
    const stores = this.topology!.subtopologies.filter((s) => ids.has(s.id)).flatMap((s) => s.storeNames);
    directory
      .announce(tasks, stores, this.standbys?.taskIds() ?? [])
      .catch((error) =>
        this.config.logger.warn({ error }, "announcing this instance's tasks failed; it repeats every 10 s"),
      );
  }

  private queryBackend(): QueryBackend {
    const entries = <K, V>(it: Iterable<{ key: K; value: V }>): QueryEntry[] => {
      const out: QueryEntry[] = [];
      for (const { key, value } of it) out.push({ key, value });
      return out;
    };
    const windowed = <K, V>(
      it: Iterable<{ key: { key: K; window: { start: number; end: number } }; value: V }>,
    ) => {
      const out: QueryEntry[] = [];
      for (const { key, value } of it)
        out.push({ key: key.key, start: key.window.start, end: key.window.end, value });
      return out;
    };
    return {
      self: () => this.advertised ?? { host: '', port: -1 },
      storeKind: (store) => this.locator?.kind(store),
      isGlobal: (store) => this.locator?.isGlobal(store) ?? false,
      ownerOf: (store, key) => this.queryMetadataForKey(store, key).activeHost,
      instances: () => this.metadataForAllStreamsClients(),
      get: (store, key) => this.keyValueStore(store).get(key),
      all: (store) => entries(this.keyValueStore(store).all()),
      range: (store, from, to) => entries(this.keyValueStore(store).range(from, to)),
      windows: (store, key, from, to) =>
        this.windowStore(store)
          .fetchRange(key, from, to)
          .map((w) => ({ key, start: w.windowStart, value: w.value })),
      sessions: (store, key) => windowed(this.sessionStore(store).fetch(key)),
    };
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

  /**
   * Since when a stream thread of this instance finds the Kafka cluster unreachable (the earliest, if several),
   * or undefined. Threads retry with back-off meanwhile, for up to `task.timeout.ms`.
   */
  get brokersUnreachableSince(): Date | undefined {
    let since: number | undefined;
    for (const t of this.threads) {
      const s = t.brokersUnreachableSince;
      if (s !== undefined && (since === undefined || s < since)) since = s;
    }
    return since === undefined ? undefined : new Date(since);
  }

  /** Commits completed so far, summed over threads. */
  get commitCount(): number {
    return this.threads.reduce((sum, t) => sum + t.commitCount, this.deadThreadCommits);
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
      const admin = this.clientSupplier.admin(this.config.adminConfig());
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
        this.global = new GlobalStreamThread(
          this.topology!,
          this.config,
          (error) => this.fail(error),
          this.clientSupplier,
        );
        this.globalStores = await this.global.start();
      }
      this.locator = new StoreKeyLocator(this.topology!, this.config.applicationId, this.counts);
      await this.startQueryServer();
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
      await this.stopQueryServer();
      this.stateDirLock?.release();
      this.stateDirLock = undefined;
      throw error;
    }
  }

  /** Commits, closes every thread's tasks and clients, and resolves when all is flushed (or after `timeoutMs`). */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    this.closing ??= (async () => {
      if (this.state !== 'NOT_RUNNING') this.transition('PENDING_SHUTDOWN');
      clearTimeout(this.replacementTimer);
      try {
        await Promise.all(this.threads.map((t) => t.shutdown()));
        await this.global?.shutdown();
      } finally {
        await this.stopQueryServer();
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
      beforeTasksCreated: (taskIds: readonly string[]) => this.standbys?.release(taskIds),
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
          this.clientSupplier,
        );
    this.threads.push(thread);
    this.startedAt.set(thread, Date.now());
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
      this.announceTasks();
      if (this.rebalancing.size === 0 && this.state === 'REBALANCING') this.transition('RUNNING');
    }
  }

  /**
   * A thread died (its tasks are closed and its clients too): it is dropped from the instance — no task list,
   * no store of it answers queries — and the handler decides between a replacement (after the back-off) and
   * shutting the client down.
   */
  private async onThreadError(thread: StreamThreadHandle, error: unknown): Promise<void> {
    this.config.logger.error(
      { application: this.config.applicationId, thread: thread.name, error },
      `stream thread died: ${messageOf(error)}`,
    );
    this.rebalancing.delete(thread);
    this.dropThread(thread);
    if (this.state === 'PENDING_SHUTDOWN' || this.state === 'NOT_RUNNING') return;
    // Its tasks have no owner until the group reassigns them: no store answers queries meanwhile.
    if (this.state === 'RUNNING') this.transition('REBALANCING');
    const lived = Date.now() - (this.startedAt.get(thread) ?? 0);
    this.startedAt.delete(thread);
    const streak = lived > MAX_REPLACEMENT_BACKOFF_MS ? 0 : this.deathStreak;
    const backoffMs = replacementBackoffMs(streak);
    let response: StreamThreadExceptionResponse;
    try {
      response = this.handler(error, { threadName: thread.name, replacements: this.replacements, backoffMs });
    } catch {
      response = 'SHUTDOWN_CLIENT';
    }
    if (response !== 'REPLACE_THREAD') {
      this.fail(error);
      return;
    }
    if (this.state === 'ERROR') return;
    this.deathStreak = streak + 1;
    this.replacements++;
    this.config.logger.warn(
      {
        application: this.config.applicationId,
        thread: thread.name,
        replacements: this.replacements,
        backoffMs,
      },
      `replacing ${thread.name} (replacement ${this.replacements}) in ${backoffMs} ms; deaths in a row: ${this.deathStreak}`,
    );
    if (backoffMs > 0) {
      await new Promise<void>((resolve) => {
        this.replacementTimer = setTimeout(resolve, backoffMs);
      });
    }
    if (this.state !== 'RUNNING' && this.state !== 'REBALANCING') return;
    await this.startThread().catch((e) => this.fail(e));
  }

  private dropThread(thread: StreamThreadHandle): void {
    const at = this.threads.indexOf(thread);
    if (at < 0) return;
    this.threads.splice(at, 1);
    this.deadThreadCommits += thread.commitCount;
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
