import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppMessage } from './app.js';

const here = fileURLToPath(import.meta.url);
/** The built app (also when this file runs from source, under vitest: then `npx tsc -b` first). */
const APP = join(dirname(here), here.endsWith('.ts') ? '../dist/app.js' : 'app.js');

/** One instance of the fraud application, as its own Node.js process (`app.js`), reporting over IPC. */
export class FraudAppProcess {
  state = 'CREATED';
  tasks: readonly string[] = [];
  readonly errors: string[] = [];
  /** Its last lines of output (for error messages). */
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    onMessage: (instance: FraudAppProcess, message: AppMessage) => void,
    onOutput: (instance: FraudAppProcess, line: string) => void,
  ) {
    child.on('message', (message: AppMessage) => {
      if (message.type === 'state') this.state = message.state;
      else if (message.type === 'tasks') this.tasks = message.tasks;
      else this.errors.push(message.message);
      onMessage(this, message);
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          this.output.push(line);
          if (this.output.length > 20) this.output.shift();
          onOutput(this, line);
        }
      });
    }
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `node app.js --bootstrap <servers> --application-id <id>` (in its own state directory). */
  static start(
    name: string,
    servers: string,
    options: {
      applicationId?: string;
      topicPrefix?: string;
      /** Avro transactions with this schema registry (default JSON). */
      schemaRegistryUrl?: string;
      onMessage?: (instance: FraudAppProcess, message: AppMessage) => void;
      onOutput?: (instance: FraudAppProcess, line: string) => void;
    } = {},
  ): FraudAppProcess {
    const child = fork(
      APP,
      [
        '--bootstrap',
        servers,
        '--application-id',
        options.applicationId ?? 'fraud-detection',
        ...(options.topicPrefix ? ['--topic-prefix', options.topicPrefix] : []),
        ...(options.schemaRegistryUrl ? ['--schema-registry', options.schemaRegistryUrl] : []),
        // The demo reports states, tasks and dead letters itself; the instance logs only errors.
        '--log-level',
        'error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] }, // not the parent's flags (vitest's source conditions)
    );
    return new FraudAppProcess(name, child, options.onMessage ?? (() => {}), options.onOutput ?? (() => {}));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (the instance commits and closes its stores), then SIGKILL after `graceMs`. Resolves on exit. */
  async stop(graceMs = 30_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when the process exits (its exit code). */
  exit(): Promise<number | null> {
    return this.exited;
  }
}
