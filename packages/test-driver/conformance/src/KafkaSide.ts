import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './Scenario.js';

const JAVA_DIR = fileURLToPath(new URL('../java', import.meta.url));
const SOURCES_DIR = join(JAVA_DIR, 'src/main/java/dev/tributary/conformance');

/** Where built classes, jars and cached results live: `$TRIBUTARY_CACHE_DIR`, else `~/.cache/tributary`. */
function cacheRoot(): string {
  return (
    process.env.TRIBUTARY_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tributary')
  );
}

function run(command: string, args: readonly string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `conformance: ${what} failed (${command} exit ${result.status ?? result.error?.message}); ` +
        `it needs Java 17+ and Maven on PATH and Maven Central reachable on the first run.\n` +
        `${(result.stdout ?? '') + (result.stderr ?? '')}`.slice(-4000),
    );
  }
}

/** The Java sources and pom, hashed: a change to either rebuilds. */
function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(JAVA_DIR, 'pom.xml')));
  for (const file of readdirSync(SOURCES_DIR).sort())
    hash.update(file).update(readFileSync(join(SOURCES_DIR, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The classpath of the Kafka Streams side, built on first use and cached under
 * `~/.cache/tributary/conformance-<hash of pom and sources>`: Maven copies Kafka Streams, its test driver and
 * Jackson into `libs/`, javac compiles the sources into `classes/`.
 */
export function kafkaClasspath(): string {
  const dir = join(cacheRoot(), `conformance-${sourceHash()}`);
  const libs = join(dir, 'libs');
  const classes = join(dir, 'classes');
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(classes, { recursive: true });
    run(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        join(JAVA_DIR, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${libs}`,
        '-DincludeScope=runtime',
      ],
      'resolving Kafka Streams with Maven',
    );
    const sources = readdirSync(SOURCES_DIR).map((f) => join(SOURCES_DIR, f));
    run('javac', ['-nowarn', '-d', classes, '-cp', join(libs, '*'), ...sources], 'compiling the Java side');
    writeFileSync(marker, 'ok\n');
    // Builds of older sources: keep the 3 newest (other worktrees may still use theirs).
    const root = cacheRoot();
    const builds = readdirSync(root)
      .filter((f) => /^conformance-[0-9a-f]{16}$/.test(f))
      .map((f) => ({ f: join(root, f), mtime: statSync(join(root, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { f } of builds.slice(3)) if (f !== dir) rmSync(f, { recursive: true, force: true });
  }
  return `${classes}:${join(libs, '*')}`;
}

/**
 * Replays every scenario through Kafka Streams' TopologyTestDriver in one JVM. Results are cached by the hash
 * of the Java side and the scenarios (the in-memory and RocksDB runs of the suite share one JVM run).
 */
export function runKafkaSide(scenarios: readonly Scenario[]): Map<string, ScenarioResult> {
  const classpath = kafkaClasspath();
  const input = JSON.stringify({ scenarios });
  const key = createHash('sha256').update(classpath).update(input).digest('hex').slice(0, 24);
  const resultsDir = join(cacheRoot(), 'conformance-results');
  const cached = join(resultsDir, `${key}.json`);
  if (!existsSync(cached)) {
    mkdirSync(resultsDir, { recursive: true });
    const scratch = join(resultsDir, `tmp-${process.pid}-${key}`);
    mkdirSync(scratch, { recursive: true });
    try {
      const inFile = join(scratch, 'scenarios.json');
      const outFile = join(scratch, 'results.json');
      writeFileSync(inFile, input);
      run(
        'java',
        [
          '-XX:+UseSerialGC',
          '-XX:TieredStopAtLevel=1',
          '-cp',
          classpath,
          'dev.tributary.conformance.Main',
          inFile,
          outFile,
        ],
        "replaying the scenarios through Kafka Streams' TopologyTestDriver",
      );
      renameSync(outFile, cached);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  pruneResults(resultsDir, cached);
  const { results } = JSON.parse(readFileSync(cached, 'utf8')) as { results: ScenarioResult[] };
  return new Map(results.map((r) => [r.id, r]));
}

/** Keeps the cache small: the 8 newest result files (other runs' inputs), always including `keep`. */
function pruneResults(dir: string, keep: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f))
    .filter((f) => f !== keep)
    .map((f) => ({ f, mtime: statSync(f).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { f } of files.slice(7)) rmSync(f, { force: true });
}
