import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface JavaInstall {
  /** The `java` executable. */
  readonly path: string;
  readonly major: number;
}

/** The major version `java -version` reports, or undefined if it does not run. */
export function javaMajor(path: string): number | undefined {
  const result = spawnSync(path, ['-version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  // Java 8 and older say "1.8.0_...".
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

/** The JVM installs this machine knows of: JAVA_HOME, PATH, the alternatives system, and the usual JVM folders. */
function candidates(): string[] {
  const found: string[] = [];
  if (process.env.JAVA_HOME) found.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  found.push('java');
  const alternatives = spawnSync('update-alternatives', ['--list', 'java'], { encoding: 'utf8' });
  if (alternatives.status === 0)
    found.push(...alternatives.stdout.split('\n').filter((l) => l.trim() !== ''));
  for (const root of ['/usr/lib/jvm', '/usr/lib64/jvm', '/usr/java', '/opt/java', '/opt']) {
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const java = join(root, entry, 'bin', 'java');
      if (existsSync(java)) found.push(java);
    }
  }
  return [...new Set(found)];
}

let cache: JavaInstall[] | undefined;

/** Every working Java on this machine, newest first. */
export function javaInstalls(): JavaInstall[] {
  if (cache === undefined) {
    cache = [];
    for (const path of candidates()) {
      const major = javaMajor(path);
      if (major !== undefined) cache.push({ path, major });
    }
    cache.sort((a, b) => b.major - a.major);
  }
  return cache;
}

/** The newest Java of at least `minMajor`, or undefined. */
export function findJava(minMajor: number): JavaInstall | undefined {
  return javaInstalls().find((j) => j.major >= minMajor);
}
