import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerPorts, brokerProperties, LOG4J2_PROPERTIES } from './internal/brokerProperties.js';
import { fetchBrokerIds } from './internal/fetchBrokerIds.js';
import { freePort } from './internal/freePort.js';
import { kafkaUuid } from './internal/kafkaUuid.js';
import { checkJava, DEFAULT_KAFKA_VERSION, resolveKafkaJars } from './KafkaJars.js';
import { KafkaLocalError } from './KafkaLocalError.js';
import { SchemaRegistryServer, type SchemaRegistryState } from './SchemaRegistryServer.js';

export interface KafkaClusterOptions {
  /** 1 (default) or 3 combined broker+controller nodes; 3 nodes use replication factor 3 and min ISR 2. */
  readonly nodes?: 1 | 3;
  readonly kafkaVersion?: string;
  /** Parent of the cluster's data folder; default the OS temp dir. */
  readonly baseDir?: string;
  /** JVM heap per broker in MB; default 512 for one node, 384 each for three. */
  readonly heapMb?: number;
  /**
   * Detached brokers outlive this process (the CLI's `start`). Attached brokers (default) die with it: they are
   * started under `setpriv --pdeathsig KILL` and killed on process exit, so a dying test run leaks no JVM.
   */
  readonly detached?: boolean;
  readonly startTimeoutMs?: number;
  /** Extra server.properties for every broker. */
  readonly brokerConfig?: Readonly<Record<string, string>>;
  readonly onProgress?: (message: string) => void;
  /**
   * Also start a schema registry (Apicurio Registry, Confluent-compatible API) beside the brokers, with the
   * same lifetime; `true` or options (Apicurio version, heap).
   */
  readonly schemaRegistry?: boolean | { readonly version?: string; readonly heapMb?: number };
}

export interface BrokerState extends BrokerPorts {
  pid: number | undefined;
}

/** Everything needed to find a running cluster again (written to `cluster.json` in its data folder). */
export interface ClusterState {
  readonly dataDir: string;
  readonly libDir: string;
  readonly heapMb: number;
  readonly detached: boolean;
  readonly bootstrapServers: string;
  readonly brokers: BrokerState[];
  schemaRegistry?: SchemaRegistryState;
}

const live = new Set<KafkaCluster>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort for attached brokers; pdeathsig covers the process being killed outright.
  process.on('exit', () => {
    for (const cluster of live) cluster.killAllSync();
  });
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real Apache Kafka (KRaft) cluster of one or three nodes on 127.0.0.1, started from Maven Central jars. */
export class KafkaCluster {
  private readonly processes = new Map<number, ChildProcess>();

  private registry: SchemaRegistryServer | undefined;

  private constructor(private readonly state: ClusterState) {
    if (state.schemaRegistry) this.registry = SchemaRegistryServer.fromState(state.schemaRegistry);
  }

  /** The schema registry's base URL (Confluent-compatible API), if the cluster was started with one. */
  get schemaRegistryUrl(): string | undefined {
    return this.registry?.url;
  }

  /** The schema registry's process id, if it was started with one. */
  get schemaRegistryPid(): number | undefined {
    return this.registry?.pid;
  }

  /** Whether the cluster's schema registry process is alive (false without one). */
  schemaRegistryRunning(): boolean {
    return this.registry?.running() ?? false;
  }

  get bootstrapServers(): string {
    return this.state.bootstrapServers;
  }

  get dataDir(): string {
    return this.state.dataDir;
  }

  get brokers(): readonly Readonly<BrokerState>[] {
    return this.state.brokers;
  }

  /** Resolves the jars (first run only), formats storage, starts every node and waits until all are registered. */
  static async start(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
    const nodes = options.nodes ?? 1;
    if (nodes !== 1 && nodes !== 3) throw new KafkaLocalError(`nodes must be 1 or 3, got ${String(nodes)}`);
    const progress = options.onProgress ?? (() => {});
    checkJava();
    const libDir = resolveKafkaJars({
      kafkaVersion: options.kafkaVersion ?? DEFAULT_KAFKA_VERSION,
      onProgress: progress,
    });
    const baseDir = options.baseDir ?? tmpdir();
    mkdirSync(baseDir, { recursive: true });
    const dataDir = mkdtempSync(join(baseDir, 'kafka-local-'));
    const ports: BrokerPorts[] = [];
    for (let nodeId = 1; nodeId <= nodes; nodeId++) {
      ports.push({ nodeId, port: await freePort(), controllerPort: await freePort() });
    }
    const state: ClusterState = {
      dataDir,
      libDir,
      heapMb: options.heapMb ?? (nodes === 1 ? 512 : 384),
      detached: options.detached ?? false,
      bootstrapServers: ports.map((p) => `127.0.0.1:${p.port}`).join(','),
      brokers: ports.map((p) => ({ ...p, pid: undefined })),
    };
    const cluster = new KafkaCluster(state);
    const clusterId = kafkaUuid();
    writeFileSync(join(dataDir, 'log4j2.properties'), LOG4J2_PROPERTIES);
    for (const broker of state.brokers) {
      const nodeDir = cluster.nodeDir(broker.nodeId);
      mkdirSync(nodeDir, { recursive: true });
      writeFileSync(
        join(nodeDir, 'server.properties'),
        brokerProperties(broker, ports, join(nodeDir, 'data'), options.brokerConfig ?? {}),
      );
    }
    progress(`kafka-local: formatting ${nodes} node(s) in ${dataDir}`);
    await Promise.all(state.brokers.map((b) => cluster.format(b.nodeId, clusterId)));
    if (!state.detached) {
      live.add(cluster);
      installExitHook();
    }
    // The registry (a JVM of its own, ~5 s to answer) starts while the brokers do.
    const registryOptions = options.schemaRegistry === true ? {} : options.schemaRegistry || undefined;
    const registryStarting =
      registryOptions === undefined
        ? undefined
        : SchemaRegistryServer.start({
            dataDir: join(dataDir, 'schema-registry'),
            detached: state.detached,
            onProgress: progress,
            ...registryOptions,
          }).then(
            (server) => ({ server }),
            (error: unknown) => ({ error }),
          );
    try {
      for (const broker of state.brokers) cluster.spawnBroker(broker.nodeId);
      progress(`kafka-local: starting ${nodes} broker(s) on ${state.bootstrapServers}`);
      await cluster.waitForBrokers(nodes, options.startTimeoutMs ?? 120_000);
      const started = await registryStarting;
      if (started !== undefined && 'error' in started) throw started.error;
      if (started !== undefined) {
        cluster.registry = started.server;
        state.schemaRegistry = started.server.state;
      }
    } catch (error) {
      const started = await registryStarting;
      if (started !== undefined && 'server' in started) started.server.killSync();
      cluster.killAllSync();
      throw error;
    }
    cluster.saveState();
    progress(`kafka-local: ready at ${state.bootstrapServers}`);
    return cluster;
  }

  /** Finds a cluster started earlier (e.g. by `kafka-local start`) from its `cluster.json`. */
  static attach(stateFile: string): KafkaCluster {
    if (!existsSync(stateFile))
      throw new KafkaLocalError(`no cluster state at ${stateFile}; start one with \`kafka-local start\``);
    return new KafkaCluster(JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState);
  }

  get stateFile(): string {
    return join(this.state.dataDir, 'cluster.json');
  }

  /** Which nodes have a live process. */
  runningBrokers(): number[] {
    return this.state.brokers.filter((b) => isAlive(b.pid)).map((b) => b.nodeId);
  }

  /** Broker ids the cluster reports as registered, asked of any live broker. */
  async registeredBrokers(): Promise<number[]> {
    let lastError: unknown;
    for (const broker of this.state.brokers.filter((b) => isAlive(b.pid))) {
      try {
        return await fetchBrokerIds(broker.port);
      } catch (error) {
        lastError = error;
      }
    }
    throw new KafkaLocalError('no broker of the cluster answered a metadata request', { cause: lastError });
  }

  /** Waits until every live node answers a metadata request listing `count` brokers. */
  async waitForBrokers(count: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const broker of this.state.brokers) {
        if (broker.pid !== undefined && !isAlive(broker.pid) && this.processes.has(broker.nodeId)) {
          throw new KafkaLocalError(
            `broker ${broker.nodeId} exited while starting; its log:\n${this.tailLog(broker.nodeId)}`,
          );
        }
      }
      const answers = await Promise.all(
        this.state.brokers
          .filter((b) => isAlive(b.pid))
          .map((b) => fetchBrokerIds(b.port, 1_000).catch(() => [] as number[])),
      );
      if (answers.length > 0 && answers.every((ids) => ids.length >= count)) return;
      if (Date.now() > deadline) {
        throw new KafkaLocalError(
          `the cluster did not register ${count} broker(s) within ${timeoutMs} ms; log of broker 1:\n${this.tailLog(1)}`,
        );
      }
      await sleep(200);
    }
  }

  /** SIGKILL one broker (a crash) and wait until its process is gone. */
  async killBroker(nodeId: number): Promise<void> {
    const broker = this.broker(nodeId);
    if (!isAlive(broker.pid)) throw new KafkaLocalError(`broker ${nodeId} is not running`);
    const exited = this.waitForExit(nodeId, 30_000);
    process.kill(broker.pid!, 'SIGKILL');
    await exited;
  }

  /** Start a stopped or killed broker again on the same ports and data, and wait until it is registered. */
  async restartBroker(nodeId: number, timeoutMs = 120_000): Promise<void> {
    const broker = this.broker(nodeId);
    if (isAlive(broker.pid)) throw new KafkaLocalError(`broker ${nodeId} is still running; kill it first`);
    this.spawnBroker(nodeId);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ids = await fetchBrokerIds(broker.port, 1_000).catch(() => [] as number[]);
      if (ids.includes(nodeId) && ids.length === this.state.brokers.length) {
        this.saveState();
        return;
      }
      if (!isAlive(broker.pid))
        throw new KafkaLocalError(`broker ${nodeId} exited on restart:\n${this.tailLog(nodeId)}`);
      await sleep(200);
    }
    throw new KafkaLocalError(
      `broker ${nodeId} did not re-register within ${timeoutMs} ms:\n${this.tailLog(nodeId)}`,
    );
  }

  /** Stop every broker (SIGTERM, then SIGKILL after `graceMs`) and delete the data folder unless `keepData`. */
  async stop(options: { graceMs?: number; keepData?: boolean } = {}): Promise<void> {
    const grace = options.graceMs ?? 20_000;
    // Stop brokers before the last controller majority goes, in reverse order, all at once.
    await Promise.all([
      this.registry?.stop(grace),
      ...this.state.brokers.map(async (b) => {
        if (!isAlive(b.pid)) return;
        process.kill(b.pid!, 'SIGTERM');
        const deadline = Date.now() + grace;
        while (isAlive(b.pid) && Date.now() < deadline) await sleep(100);
        if (isAlive(b.pid)) process.kill(b.pid!, 'SIGKILL');
        while (isAlive(b.pid)) await sleep(50);
      }),
    ]);
    live.delete(this);
    if (!options.keepData) rmSync(this.state.dataDir, { recursive: true, force: true });
  }

  /** Kill every broker now, synchronously (used on process exit). */
  killAllSync(): void {
    this.registry?.killSync();
    for (const broker of this.state.brokers) {
      if (isAlive(broker.pid)) {
        try {
          process.kill(broker.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    live.delete(this);
    if (!this.state.detached) rmSync(this.state.dataDir, { recursive: true, force: true });
  }

  private broker(nodeId: number): BrokerState {
    const broker = this.state.brokers.find((b) => b.nodeId === nodeId);
    if (!broker) {
      throw new KafkaLocalError(
        `no broker ${nodeId}; this cluster has ${this.state.brokers.map((b) => b.nodeId).join(', ')}`,
      );
    }
    return broker;
  }

  private nodeDir(nodeId: number): string {
    return join(this.state.dataDir, `node-${nodeId}`);
  }

  private tailLog(nodeId: number): string {
    const file = join(this.nodeDir(nodeId), 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
  }

  private javaArgs(main: string, extra: string[]): string[] {
    return [
      `-Xms${Math.min(256, this.state.heapMb)}m`,
      `-Xmx${this.state.heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(this.state.dataDir, 'log4j2.properties')}`,
      '-cp',
      join(this.state.libDir, '*'),
      main,
      ...extra,
    ];
  }

  private format(nodeId: number, clusterId: string): Promise<void> {
    const properties = join(this.nodeDir(nodeId), 'server.properties');
    return new Promise((resolve, reject) => {
      const child = spawn(
        'java',
        this.javaArgs('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', properties]),
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0
          ? resolve()
          : reject(
              new KafkaLocalError(`formatting storage of broker ${nodeId} failed (exit ${code}):\n${output}`),
            ),
      );
    });
  }

  private spawnBroker(nodeId: number): void {
    const broker = this.broker(nodeId);
    const nodeDir = this.nodeDir(nodeId);
    const log = openSync(join(nodeDir, 'server.log'), 'a');
    const args = this.javaArgs('kafka.Kafka', [join(nodeDir, 'server.properties')]);
    const usePdeathsig = !this.state.detached && spawnSync('setpriv', ['--help']).status === 0;
    const child = usePdeathsig
      ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'java', ...args], { stdio: ['ignore', log, log] })
      : spawn('java', args, { stdio: ['ignore', log, log], detached: this.state.detached });
    closeSync(log);
    if (this.state.detached) child.unref();
    broker.pid = child.pid;
    this.processes.set(nodeId, child);
    child.on('exit', () => {
      if (this.processes.get(nodeId) === child) this.processes.delete(nodeId);
    });
  }

  private async waitForExit(nodeId: number, timeoutMs: number): Promise<void> {
    const broker = this.broker(nodeId);
    const deadline = Date.now() + timeoutMs;
    while (isAlive(broker.pid)) {
      if (Date.now() > deadline)
        throw new KafkaLocalError(`broker ${nodeId} (pid ${broker.pid}) did not exit`);
      await sleep(50);
    }
  }

  private saveState(): void {
    writeFileSync(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`);
  }
}
