import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The child runs the built package (dist/), as a user's process would.
const CHILD = `
import { KafkaCluster } from '@tributary/kafka-local';
const cluster = await KafkaCluster.start({ nodes: 1, schemaRegistry: process.argv.includes('registry') });
const pids = [...cluster.brokers.map((b) => b.pid), ...(cluster.schemaRegistryPid ? [cluster.schemaRegistryPid] : [])];
console.log(JSON.stringify({ pids, dataDir: cluster.dataDir }));
if (process.argv.includes('throw')) setTimeout(() => { throw new Error('a failing test'); }, 100);
else setInterval(() => {}, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startChild(
  mode: 'throw' | 'hang',
  registry = false,
): Promise<{ child: ReturnType<typeof spawn>; pids: number[]; dataDir: string }> {
  const args = ['--input-type=module', '-e', CHILD, '--', mode, ...(registry ? ['registry'] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.on('exit', (code) =>
      reject(new Error(`child exited (${code}) before the broker started: ${stderr}`)),
    );
  });
  const { pids, dataDir } = JSON.parse(line) as { pids: number[]; dataDir: string };
  return { child, pids, dataDir };
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

describe('kafka-local never leaks a broker JVM', () => {
  it('kills the broker and the schema registry when the owning process is SIGKILLed', async () => {
    const { child, pids } = await startChild('hang', true);
    try {
      expect(pids).toHaveLength(2);
      expect(pids.every(alive)).toBe(true);
      child.kill('SIGKILL');
      expect(await waitUntilGone(pids, 10_000)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('kills the broker and deletes its data when the owning process dies of an uncaught error', async () => {
    const { child, pids, dataDir } = await startChild('throw');
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.on('exit', resolve);
      setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
    });
    expect(code).toBe(1);
    expect(await waitUntilGone(pids, 10_000)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });
});
