import { type ChildProcess, spawn } from 'node:child_process';

/** A stream application in a child process, with the last "processed <n>" it printed. */
export class ChildApp {
  processed = 0;
  states: string[] = [];
  output = '';
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk;
      for (const line of chunk.toString().split('\n')) {
        const processed = /^processed (\d+)/.exec(line);
        if (processed) this.processed = Number(processed[1]);
        const state = /^state (\w+)/.exec(line);
        if (state) this.states.push(state[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk;
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildApp {
    return new ChildApp(
      spawn(process.execPath, [script, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      }),
    );
  }

  async waitFor(condition: (app: ChildApp) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (this.child.exitCode !== null)
        throw new Error(`child exited (${this.child.exitCode}) while waiting for ${what}:\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exit(): Promise<number | null> {
    return this.exited;
  }
}
