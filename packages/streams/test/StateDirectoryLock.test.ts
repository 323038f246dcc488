import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumed, KafkaStreams, Serdes, StreamsBuilder } from '@tributary/streams';
import { afterEach, describe, expect, it } from 'vitest';
import { StateDirectoryLock } from '../src/internal/StateDirectoryLock.js';

const stateDir = join(tmpdir(), `lock-unit-${process.pid}`);
const directory = join(stateDir, 'app');
const lockFile = join(directory, '.lock');
const held: StateDirectoryLock[] = [];

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  rmSync(stateDir, { recursive: true, force: true });
});

function acquire(): StateDirectoryLock {
  const lock = StateDirectoryLock.acquire(stateDir, 'app');
  held.push(lock);
  return lock;
}

describe('StateDirectoryLock', () => {
  it('writes its pid and host, and a second lock in the same process fails naming the directory and the fix', () => {
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    expect(() => StateDirectoryLock.acquire(stateDir, 'app')).toThrow(
      `the state directory '${directory}' is locked by this process: another KafkaStreams instance of 'app' ` +
        "uses the same 'state.dir'. Two instances on one host need different 'state.dir' settings",
    );
  });

  it('can be taken again once released, and release is idempotent', () => {
    const lock = acquire();
    lock.release();
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    acquire();
    expect(existsSync(lockFile)).toBe(true);
  });

  it('fails when a live process on this host holds it', () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(lockFile, `${process.ppid} ${hostname()}\n`);
    expect(() => StateDirectoryLock.acquire(stateDir, 'app')).toThrow(
      `is locked by process ${process.ppid} on ${hostname()}`,
    );
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.ppid} ${hostname()}\n`);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(directory, { recursive: true });
    writeFileSync(lockFile, `${exited} ${hostname()}\n`);
    acquire();
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
  });

  it("does not take over another host's lock", () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(lockFile, '1234 some-other-host\n');
    expect(() => StateDirectoryLock.acquire(stateDir, 'app')).toThrow(
      `is locked by process 1234 on some-other-host: another KafkaStreams instance of 'app'`,
    );
  });
});

describe('two KafkaStreams instances on one state.dir', () => {
  it('the second fails fast in start(), before contacting a broker, and goes to ERROR', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out');
    const config = { 'application.id': 'app', 'bootstrap.servers': '127.0.0.1:1', 'state.dir': stateDir };
    acquire(); // the first instance, running
    const second = new KafkaStreams(builder.build(), config);
    const started = Date.now();
    await expect(second.start()).rejects.toThrow(
      `the state directory '${directory}' is locked by this process`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(second.state).toBe('ERROR');
    expect(() => second.cleanUp()).toThrow('is locked by this process');
    expect(existsSync(lockFile)).toBe(true);
    await second.close();
    expect(second.state).toBe('NOT_RUNNING');
  });
});
