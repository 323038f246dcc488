import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** benchmarks/anchors in the repository (this file is benchmarks/{src,dist}/sideBySide/…). */
export const ANCHORS = resolve(dirname(fileURLToPath(import.meta.url)), '../../anchors');
export const QUIX_VERSION = '3.28.1';
export const KAFKA_STREAMS_VERSION = '4.3.1';

export function cacheDir(): string {
  return (
    process.env.TRIBUTARY_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tributary')
  );
}

export interface Anchors {
  /** Classpath of the Kafka Streams app and Kafka's perf tools, or undefined (see notes). */
  readonly javaClasspath: string | undefined;
  /** The virtualenv's python with quixstreams, or undefined (see notes). */
  readonly quixPython: string | undefined;
  readonly notes: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Builds the Kafka Streams app with Maven once per content of its sources (cached under
 * <cache>/anchors/kafka-streams-<hash>), so later runs start at once.
 */
function buildKafkaStreams(log: (m: string) => void): { classpath?: string; note?: string } {
  const project = join(ANCHORS, 'kafka-streams');
  const hash = createHash('sha256');
  for (const file of filesUnder(project)
    .filter((f) => !f.includes('/target/'))
    .sort()) {
    hash.update(file.slice(project.length)).update(readFileSync(file));
  }
  const out = join(cacheDir(), 'anchors', `kafka-streams-${hash.digest('hex').slice(0, 12)}`);
  const jar = join(out, 'kafka-streams-anchor.jar');
  const done = join(out, 'built');
  if (!existsSync(done)) {
    log(`building the Kafka Streams app with Maven into ${out} (once)`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const mvn = spawnSync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        join(project, 'pom.xml'),
        `-DbuildDir=${out}`,
        'package',
        'dependency:copy-dependencies',
        `-DoutputDirectory=${join(out, 'lib')}`,
      ],
      { encoding: 'utf8' },
    );
    if (mvn.status !== 0) {
      return {
        note: `Kafka Streams app not built (mvn exited ${mvn.status ?? mvn.signal}): ${(mvn.stdout + mvn.stderr).slice(-600)}`,
      };
    }
    writeFileSync(done, new Date().toISOString());
  }
  return { classpath: `${jar}:${join(out, 'lib', '*')}` };
}

/** A virtualenv with quixstreams from PyPI, made once under <cache>/quix-venv-<version>. */
function installQuix(log: (m: string) => void): { python?: string; note?: string } {
  const venv = join(cacheDir(), `quix-venv-${QUIX_VERSION}`);
  const python = join(venv, 'bin', 'python');
  const done = join(venv, 'installed');
  if (!existsSync(done)) {
    log(`installing quixstreams ${QUIX_VERSION} into ${venv} (once)`);
    const steps: [string, string[]][] = [
      ['python3', ['-m', 'venv', venv]],
      [join(venv, 'bin', 'pip'), ['install', '-q', `quixstreams==${QUIX_VERSION}`]],
    ];
    for (const [command, args] of steps) {
      const r = spawnSync(command, args, { encoding: 'utf8' });
      if (r.status !== 0) {
        return {
          note: `Quix Streams skipped: \`${command} ${args.join(' ')}\` failed (${(r.stdout + r.stderr).slice(-400).trim()})`,
        };
      }
    }
    writeFileSync(done, new Date().toISOString());
  }
  return { python };
}

export function prepareAnchors(log: (m: string) => void): Anchors {
  const notes: string[] = [];
  const ks = buildKafkaStreams(log);
  if (ks.note) notes.push(ks.note);
  const quix = installQuix(log);
  if (quix.note) notes.push(quix.note);
  return { javaClasspath: ks.classpath, quixPython: quix.python, notes };
}
