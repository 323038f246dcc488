import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaAdmin, KafkaConsumer } from '@tributary/kafka';
import { type BenchInput, inputTotal } from './benchInput.js';
import type { BenchSystem, Guarantee } from './benchSystems.js';
import { type CheckResult, checkOutput, type Workload } from './checkOutput.js';
import { ProcessMeter } from './processMeter.js';

export interface RunResult {
  readonly system: BenchSystem;
  readonly workload: Workload;
  readonly guarantee: Guarantee;
  /** From spawning the app to all input offsets committed (with their output), in seconds. */
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly processes: number;
  readonly check: CheckResult;
  /** Set when the app failed, stalled or timed out before committing all input. */
  readonly failure?: string;
}

export interface RunTopics {
  readonly input: string;
  readonly table: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sum of the offsets group `group` has committed on `topic` (0 for partitions without a commit). */
async function committedSum(consumer: KafkaConsumer, topic: string, partitions: number): Promise<number> {
  const committed = await consumer.committed(
    Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
  );
  return committed.reduce((sum, c) => sum + Math.max(0, c.offset), 0);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const group = -child.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([exited, sleep(3_000)]); // measured already: a graceful close is not waited for long
  try {
    process.kill(group, 'SIGKILL'); // whatever of the group is left (stream-thread processes too)
  } catch {
    // already gone
  }
}

async function deleteTopicsOf(servers: string, prefixes: string[]): Promise<void> {
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    const topics = (await admin.listTopics()).filter((t) => prefixes.some((p) => t.startsWith(p)));
    if (topics.length > 0) await admin.deleteTopics(topics);
  } catch {
    // best effort: a later run uses fresh names anyway
  } finally {
    admin.close();
  }
}

/**
 * Runs one system on one workload: a fresh output topic and application id, the app started as its own
 * process group, done when its group has committed every input offset; then CPU and peak RSS of its process
 * tree, a stop, and the check of everything it wrote (read_committed).
 */
export async function runSystem(
  servers: string,
  input: BenchInput,
  topics: RunTopics,
  system: BenchSystem,
  workload: Workload,
  guarantee: Guarantee,
  options: { timeoutMs: number; stallMs: number; log: (m: string) => void },
): Promise<RunResult | undefined> {
  const tag = `${workload}-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${system.id}-${randomUUID().slice(0, 6)}`;
  const appId = `bench-${tag}`;
  const output = `bench-out-${tag}`;
  const stateDir = mkdtempSync(join(tmpdir(), `bench-state-${tag}-`));
  const launch = system.launch({
    workload,
    guarantee,
    bootstrap: servers,
    appId,
    input: topics.input,
    output,
    table: topics.table,
    stateDir,
  });
  if (launch === undefined) {
    rmSync(stateDir, { recursive: true, force: true });
    return undefined;
  }
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    await admin.createTopics([{ name: output, partitions: input.partitions }]);
  } finally {
    admin.close();
  }
  const watcher = await KafkaConsumer.connect({ 'bootstrap.servers': servers, 'group.id': appId });
  const total = inputTotal(input);
  const name = `${system.label} ${workload.toUpperCase()} ${guarantee}`;
  const tail: string[] = [];
  let failure: string | undefined;
  const started = performance.now();
  const child = spawn(launch.command, launch.args, {
    env: { ...process.env, ...launch.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const meter = new ProcessMeter(child.pid ?? -1);
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (line.startsWith('ERROR')) failure ??= line;
    }
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) failure ??= `exited early (${code ?? signal})`;
  });
  let seconds = 0;
  let usage = { cpuSeconds: 0, peakRssMb: 0, processes: 0 };
  try {
    let done = 0;
    let lastProgress = performance.now();
    let lastLog = 0;
    while (failure === undefined) {
      const now = performance.now();
      const committed = await committedSum(watcher, topics.input, input.partitions).catch(() => done);
      if (committed >= total) {
        seconds = (performance.now() - started) / 1000;
        usage = meter.stop();
        break;
      }
      if (committed > done) {
        done = committed;
        lastProgress = now;
      }
      if (now - started > options.timeoutMs) failure = `timed out after ${options.timeoutMs / 1000} s`;
      else if (now - lastProgress > options.stallMs && done > 0)
        failure = `no progress for ${options.stallMs / 1000} s at ${done} / ${total}`;
      if (now - lastLog > 3_000) {
        options.log(
          `    ${name}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} committed`,
        );
        lastLog = now;
      }
      await sleep(100);
    }
    if (failure !== undefined) {
      seconds = (performance.now() - started) / 1000;
      usage = meter.stop();
    }
  } finally {
    stopping = true;
    await watcher.close().catch(() => undefined);
    await stop(child);
    meter.stop();
  }
  const check = await checkOutput(servers, input, workload, output).catch(
    (error: unknown): CheckResult => ({
      ok: false,
      outputRecords: 0,
      detail: `the check failed: ${String(error)}`,
    }),
  );
  rmSync(stateDir, { recursive: true, force: true });
  await deleteTopicsOf(servers, [output, appId]);
  const failureDetail =
    failure === undefined
      ? undefined
      : `${failure}; last output: ${tail.slice(-5).join(' | ').slice(0, 500)}`;
  const result: RunResult = {
    system,
    workload,
    guarantee,
    seconds,
    recordsPerSecond: failure === undefined ? total / seconds : 0,
    ...usage,
    check,
    ...(failureDetail === undefined ? {} : { failure: failureDetail }),
  };
  options.log(
    `  ${name}: ${failure === undefined ? `${Math.round(result.recordsPerSecond).toLocaleString('en-US')} records/s in ${seconds.toFixed(1)} s` : `FAILED (${failureDetail})`}, ` +
      `CPU ${usage.cpuSeconds.toFixed(1)} s, peak RSS ${Math.round(usage.peakRssMb)} MB, check ${check.ok ? 'ok' : `FAILED: ${check.detail}`} ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s with stop and check)`,
  );
  return result;
}
