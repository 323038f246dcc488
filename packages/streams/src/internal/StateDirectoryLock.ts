import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StreamsError } from '@tributary/core';

/** Directories locked by this process (a second KafkaStreams in the same process must fail too). */
const lockedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lock on `<state.dir>/<application.id>`: a `.lock` file holding the owner's pid and host, created
 * exclusively. Taken before the process id is read, so two instances on one host never share transactional ids
 * (they would fence each other) or stores. A lock left by a process that no longer runs on this host is taken
 * over; one held by a live process, or by this process, is an error naming the directory and the fix.
 */
export class StateDirectoryLock {
  private released = false;

  private constructor(
    readonly directory: string,
    private readonly file: string,
  ) {}

  static acquire(stateDir: string, applicationId: string): StateDirectoryLock {
    const directory = join(stateDir, applicationId);
    const file = join(directory, '.lock');
    mkdirSync(directory, { recursive: true });
    const owner = `${process.pid} ${hostname()}\n`;
    for (let attempt = 0; ; attempt++) {
      if (lockedHere.has(directory)) throw StateDirectoryLock.held(directory, applicationId, 'this process');
      try {
        const fd = openSync(file, 'wx');
        try {
          writeSync(fd, owner);
        } finally {
          closeSync(fd);
        }
        lockedHere.add(directory);
        return new StateDirectoryLock(directory, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let content = '';
      try {
        content = readFileSync(file, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const [pidText = '', host = ''] = content.trim().split(' ');
      const pid = Number(pidText);
      const stale = host === hostname() && Number.isInteger(pid) && (pid === process.pid || !alive(pid));
      if (!stale || attempt > 0) {
        throw StateDirectoryLock.held(
          directory,
          applicationId,
          `process ${pidText || '?'} on ${host || '?'}`,
        );
      }
      rmSync(file, { force: true });
    }
  }

  private static held(directory: string, applicationId: string, owner: string): StreamsError {
    return new StreamsError(
      `the state directory '${directory}' is locked by ${owner}: another KafkaStreams instance of ` +
        `'${applicationId}' uses the same 'state.dir'. Two instances on one host need different 'state.dir' ` +
        'settings (they would share transactional ids and fence each other); give this one its own state.dir, or ' +
        `stop the other (a lock left by a crashed process on this host is taken over; delete '${join(directory, '.lock')}' if it was another host's)`,
    );
  }

  /** Frees the directory; idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    lockedHere.delete(this.directory);
    rmSync(this.file, { force: true });
  }
}
