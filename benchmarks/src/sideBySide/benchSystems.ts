import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Workload } from './checkOutput.js';
import { ANCHORS, type Anchors } from './prepareAnchors.js';

export type Guarantee = 'at_least_once' | 'exactly_once_v2';

export interface LaunchContext {
  readonly workload: Workload;
  readonly guarantee: Guarantee;
  readonly bootstrap: string;
  readonly appId: string;
  readonly input: string;
  readonly output: string;
  readonly table: string;
  readonly stateDir: string;
}

export interface Launch {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** One system under test: how to start it on a workload; undefined when it cannot run or express it. */
export interface BenchSystem {
  readonly id: string;
  readonly label: string;
  readonly family: 'tributary' | 'kafka-streams' | 'quix' | 'client';
  launch(context: LaunchContext): Launch | undefined;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const NODE_FLAGS = ['--enable-source-maps'];

function benchEnv(c: LaunchContext, threads: number): Record<string, string> {
  return {
    BENCH_WORKLOAD: c.workload,
    BENCH_GUARANTEE: c.guarantee,
    BENCH_BOOTSTRAP: c.bootstrap,
    BENCH_APP_ID: c.appId,
    BENCH_INPUT: c.input,
    BENCH_OUTPUT: c.output,
    BENCH_TABLE: c.table,
    BENCH_THREADS: String(threads),
    BENCH_STATE_DIR: c.stateDir,
  };
}

function keyValueArgs(c: LaunchContext, threads: number): string[] {
  return [
    `workload=${c.workload}`,
    `guarantee=${c.guarantee}`,
    `bootstrap=${c.bootstrap}`,
    `appId=${c.appId}`,
    `input=${c.input}`,
    `output=${c.output}`,
    `table=${c.table}`,
    `threads=${threads}`,
    `stateDir=${c.stateDir}`,
  ];
}

function tributary(threads: number): BenchSystem {
  return {
    id: threads === 1 ? 'tributary' : `tributary-${threads}p`,
    label: threads === 1 ? 'Tributary' : `Tributary, ${threads} threads as processes`,
    family: 'tributary',
    launch: (c) => ({
      command: process.execPath,
      args: [...NODE_FLAGS, join(HERE, 'tributaryApp.js')],
      env: benchEnv(c, threads),
    }),
  };
}

function kafkaStreams(anchors: Anchors, threads: number): BenchSystem {
  return {
    id: threads === 1 ? 'kafka-streams' : `kafka-streams-${threads}t`,
    label: threads === 1 ? 'Kafka Streams' : `Kafka Streams, ${threads} threads`,
    family: 'kafka-streams',
    launch: (c) =>
      anchors.javaClasspath === undefined
        ? undefined
        : {
            command: 'java',
            args: ['-cp', anchors.javaClasspath, 'dev.tributary.bench.BenchApp', ...keyValueArgs(c, threads)],
            env: {},
          },
  };
}

function quix(anchors: Anchors): BenchSystem {
  return {
    id: 'quix',
    label: 'Quix Streams',
    family: 'quix',
    launch: (c) =>
      anchors.quixPython === undefined || c.workload === 'p4'
        ? undefined
        : {
            command: anchors.quixPython,
            args: ['-W', 'ignore', resolve(ANCHORS, 'quix', 'bench_app.py'), ...keyValueArgs(c, 1)],
            env: { PYTHONUNBUFFERED: '1' },
          },
  };
}

const rawClient: BenchSystem = {
  id: 'raw-client',
  label: 'raw client pipe (ceiling)',
  family: 'client',
  launch: (c) =>
    c.workload !== 'p1'
      ? undefined
      : {
          command: process.execPath,
          args: [...NODE_FLAGS, join(HERE, 'rawPipeApp.js')],
          env: benchEnv(c, 1),
        },
};

export function benchSystems(anchors: Anchors): BenchSystem[] {
  return [
    tributary(1),
    tributary(2),
    kafkaStreams(anchors, 1),
    kafkaStreams(anchors, 2),
    quix(anchors),
    rawClient,
  ];
}
