import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaLocalError } from './KafkaLocalError.js';

/** The Kafka release kafka-local runs unless told otherwise (also pinned in this package's pom.xml). */
export const DEFAULT_KAFKA_VERSION = '4.3.1';

export interface ResolveJarsOptions {
  readonly kafkaVersion?: string;
  /** Where jars are cached; default `$TRIBUTARY_CACHE_DIR`, else `$XDG_CACHE_HOME/tributary`, else `~/.cache/tributary`. */
  readonly cacheDir?: string;
  readonly onProgress?: (message: string) => void;
}

export function defaultCacheDir(): string {
  return (
    process.env.TRIBUTARY_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tributary')
  );
}

function commandWorks(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Throws a KafkaLocalError saying exactly what to install when Java 17+ is missing. */
export function checkJava(): void {
  const java = commandWorks('java', ['-version']);
  if (!java.ok) {
    throw new KafkaLocalError(
      'kafka-local needs Java 17 or newer on PATH to run the Kafka broker, and `java -version` failed. ' +
        'Install it with: apt-get install -y openjdk-17-jre-headless',
    );
  }
  const major = /version "(\d+)/.exec(java.output)?.[1];
  if (major !== undefined && Number(major) < 17) {
    throw new KafkaLocalError(
      `kafka-local needs Java 17 or newer (Kafka 4 does not run on older JVMs) but found Java ${major}. ` +
        'Install it with: apt-get install -y openjdk-17-jre-headless',
    );
  }
}

function checkMaven(): void {
  if (!commandWorks('mvn', ['-v']).ok) {
    throw new KafkaLocalError(
      "kafka-local resolves Kafka's jars from Maven Central with Maven, and `mvn -v` failed. " +
        'Install it with: apt-get install -y maven',
    );
  }
}

/**
 * Returns a folder holding every jar the Kafka broker needs, downloading them with Maven on the first call.
 * The folder lives in the user cache (outside the repo), so later runs need no network.
 */
export function resolveKafkaJars(options: ResolveJarsOptions = {}): string {
  const version = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const libDir = join(options.cacheDir ?? defaultCacheDir(), `kafka-${version}`, 'libs');
  const marker = join(libDir, '.complete');
  if (existsSync(marker)) return libDir;

  checkJava();
  checkMaven();
  mkdirSync(libDir, { recursive: true });
  options.onProgress?.(
    `kafka-local: resolving Kafka ${version} jars with Maven into ${libDir} (first run only)`,
  );
  const pom = fileURLToPath(new URL('../pom.xml', import.meta.url));
  const started = Date.now();
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      `-Dkafka.version=${version}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libDir}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    throw new KafkaLocalError(
      `Maven could not resolve Kafka ${version} (exit ${result.status}). Check that Maven Central is reachable ` +
        `and that ${version} is a released version.\n${(result.stdout + result.stderr).slice(-3000)}`,
    );
  }
  const jars = readdirSync(libDir).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${version}`))) {
    throw new KafkaLocalError(
      `Maven finished but ${libDir} holds no kafka_2.13-${version}.jar; delete ${libDir} and retry`,
    );
  }
  writeFileSync(marker, `${jars.length} jars\n`);
  options.onProgress?.(
    `kafka-local: ${jars.length} jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return libDir;
}
