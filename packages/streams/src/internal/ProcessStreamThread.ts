import { type ChildProcess, fork } from 'node:child_process';
import { StreamsError } from '@tributary/core';
import type { StateRestoreListener } from '../StateRestoreListener.js';
import type { StreamThreadState } from './StreamThread.js';
import type { StreamThreadHandle } from './StreamThreadHandle.js';
import type { WorkerStart, WorkerToMain } from './workerProtocol.js';

/**
 * The parent's Node flags minus any export condition that selects TypeScript sources (test runners set one):
 * stream-thread processes always run the built JavaScript.
 */
function childExecArgv(): string[] {
  const args: string[] = [];
  const parent = process.execArgv;
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i]!;
    if ((arg === '--conditions' || arg === '-C') && parent[i + 1] === 'tributary-source') i++;
    else if (arg !== '--conditions=tributary-source' && arg !== '-Ctributary-source') args.push(arg);
  }
  return args;
}

export interface ProcessStreamThreadEvents {
  onRebalance(thread: ProcessStreamThread, phase: 'started' | 'done'): void;
  onError(thread: ProcessStreamThread, error: unknown): void;
  readonly restoreListener?: StateRestoreListener;
}

/**
 * A StreamThread in a child process: its own event loop and core, its own consumer and producer. The child
 * exits when this process goes away (its IPC channel closes), so no stream thread outlives its instance.
 */
export class ProcessStreamThread implements StreamThreadHandle {
  state: StreamThreadState = 'created';
  commitCount = 0;
  private tasks: readonly string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly script: URL,
    private readonly init: Omit<WorkerStart, 'type'>,
    private readonly events: ProcessStreamThreadEvents,
  ) {}

  taskIds(): string[] {
    return [...this.tasks];
  }

  start(): Promise<void> {
    this.state = 'starting';
    const child = fork(this.script, [], {
      execArgv: childExecArgv(),
      serialization: 'advanced',
      stdio: 'inherit',
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    return new Promise<void>((resolve, reject) => {
      let started = false;
      child.on('message', (message: WorkerToMain) => {
        switch (message.type) {
          case 'state':
            this.state = message.state;
            if (message.state === 'running' && !started) {
              started = true;
              resolve();
            }
            break;
          case 'rebalance':
            this.tasks = message.taskIds;
            this.events.onRebalance(this, message.phase);
            break;
          case 'commits':
            this.commitCount = message.count;
            break;
          case 'restore': {
            const listener = this.events.restoreListener;
            const tp = { topic: message.topic, partition: message.partition };
            const [a = 0, b = 0] = message.numbers;
            if (message.phase === 'start') listener?.onRestoreStart?.(tp, message.storeName, a, b);
            else if (message.phase === 'batch') listener?.onBatchRestored?.(tp, message.storeName, a, b);
            else listener?.onRestoreEnd?.(tp, message.storeName, a);
            break;
          }
          case 'error': {
            const error = new StreamsError(`${this.name}: ${message.message}`);
            if (message.stack) error.stack = `${this.name}: ${message.stack}`;
            this.state = 'dead';
            if (!started) reject(error);
            else this.events.onError(this, error);
            break;
          }
        }
      });
      child.on('exit', (code, signal) => {
        const wasRunning = this.state === 'running';
        this.state = 'dead';
        const error = new StreamsError(`${this.name}: its process exited (code ${code}, signal ${signal})`);
        if (!started) reject(error);
        else if (wasRunning) this.events.onError(this, error);
      });
      child.send({ type: 'start', ...this.init });
    });
  }

  /** Asks the child to commit and close; kills it if it has not exited after `timeoutMs`. */
  async shutdown(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    if (!child || this.state === 'dead') return;
    this.state = 'pending_shutdown';
    child.send({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.state = 'dead';
  }
}
