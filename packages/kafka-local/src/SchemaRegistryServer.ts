import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort } from './internal/freePort.js';
import { KafkaLocalError } from './KafkaLocalError.js';
import { resolveSchemaRegistry } from './SchemaRegistryArtifacts.js';

export interface SchemaRegistryOptions {
  /** Folder for the registry's log (and working directory); created if missing. */
  readonly dataDir: string;
  /** Apicurio version; default 3.3.3 with Java 21+, else 2.6.13.Final on Java 17. */
  readonly version?: string;
  /** Outlives this process (the CLI); attached (default) dies with it, like the brokers. */
  readonly detached?: boolean;
  /** JVM heap in MB; default 256. */
  readonly heapMb?: number;
  readonly startTimeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

/** Everything needed to find a running registry again (kept in the cluster's `cluster.json`). */
export interface SchemaRegistryState {
  readonly version: string;
  /** Base URL of the Confluent-compatible API: `http://127.0.0.1:<port>/apis/ccompat/v7`. */
  readonly url: string;
  readonly port: number;
  readonly managementPort: number;
  readonly dataDir: string;
  readonly detached: boolean;
  pid: number | undefined;
}

const live = new Set<SchemaRegistryServer>();
let exitHookInstalled = false;

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

function answers(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/subjects`, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Apicurio Registry on 127.0.0.1 (in-memory storage), from its Maven Central distribution, serving the
 * Confluent Schema Registry API. Attached registries die with this process (`setpriv --pdeathsig KILL` and an
 * exit hook), as kafka-local's brokers do.
 */
export class SchemaRegistryServer {
  private constructor(readonly state: SchemaRegistryState) {}

  get url(): string {
    return this.state.url;
  }

  get pid(): number | undefined {
    return this.state.pid;
  }

  static async start(options: SchemaRegistryOptions): Promise<SchemaRegistryServer> {
    const progress = options.onProgress ?? (() => {});
    const runtime = resolveSchemaRegistry({
      onProgress: progress,
      ...(options.version === undefined ? {} : { version: options.version }),
    });
    mkdirSync(options.dataDir, { recursive: true });
    const port = await freePort();
    const managementPort = await freePort();
    const server = new SchemaRegistryServer({
      version: runtime.version,
      url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
      port,
      managementPort,
      dataDir: options.dataDir,
      detached: options.detached ?? false,
      pid: undefined,
    });
    const args = [
      '-Xms64m',
      `-Xmx${options.heapMb ?? 256}m`,
      // C1 only: the registry starts faster and takes less CPU from a small machine; it is never hot.
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.http.port=${port}`,
      // Quarkus' management interface binds 0.0.0.0:9000 unless told otherwise.
      '-Dquarkus.management.host=127.0.0.1',
      `-Dquarkus.management.port=${managementPort}`,
      '-jar',
      runtime.jar,
    ];
    const log = openSync(join(options.dataDir, 'schema-registry.log'), 'a');
    const detached = server.state.detached;
    const usePdeathsig = !detached && spawnSync('setpriv', ['--help']).status === 0;
    const child = usePdeathsig
      ? spawn('setpriv', ['--pdeathsig', 'KILL', '--', runtime.java.path, ...args], {
          stdio: ['ignore', log, log],
          cwd: options.dataDir,
        })
      : spawn(runtime.java.path, args, { stdio: ['ignore', log, log], cwd: options.dataDir, detached });
    closeSync(log);
    if (detached) child.unref();
    server.state.pid = child.pid;
    if (!detached) {
      live.add(server);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
          for (const s of live) s.killSync();
        });
      }
    }
    progress(
      `kafka-local: starting Apicurio Registry ${runtime.version} (Java ${runtime.java.major}) on port ${port}`,
    );
    try {
      await server.waitReady(options.startTimeoutMs ?? 120_000);
    } catch (error) {
      server.killSync();
      throw error;
    }
    progress(`kafka-local: schema registry ready at ${server.url}`);
    return server;
  }

  /** A registry started earlier (e.g. by `kafka-local start --schema-registry`), from its saved state. */
  static fromState(state: SchemaRegistryState): SchemaRegistryServer {
    return new SchemaRegistryServer({ ...state });
  }

  running(): boolean {
    return isAlive(this.state.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; waits until the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    const pid = this.state.pid;
    if (isAlive(pid)) {
      process.kill(pid!, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (isAlive(pid) && Date.now() < deadline) await sleep(100);
      if (isAlive(pid)) process.kill(pid!, 'SIGKILL');
      while (isAlive(pid)) await sleep(50);
    }
    live.delete(this);
  }

  /** Kill now, synchronously (process exit, failed start). */
  killSync(): void {
    if (isAlive(this.state.pid)) {
      try {
        process.kill(this.state.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    live.delete(this);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running()) {
        throw new KafkaLocalError(`the schema registry exited while starting; its log:\n${this.tailLog()}`);
      }
      if (await answers(this.url, 1_000)) return;
      if (Date.now() > deadline) {
        throw new KafkaLocalError(
          `the schema registry did not answer at ${this.url} within ${timeoutMs} ms; its log:\n${this.tailLog()}`,
        );
      }
      await sleep(250);
    }
  }

  private tailLog(): string {
    const file = join(this.state.dataDir, 'schema-registry.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
  }
}
