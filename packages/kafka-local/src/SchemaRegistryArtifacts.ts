import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JavaInstall, javaInstalls } from './internal/findJava.js';
import { defaultCacheDir } from './KafkaJars.js';
import { KafkaLocalError } from './KafkaLocalError.js';

/** Apicurio Registry 3.x: the Confluent-compatible API at /apis/ccompat/v7; needs Java 21+. */
export const DEFAULT_APICURIO_VERSION = '3.3.3';
/** Apicurio Registry 2.x, which still runs on Java 17: used when no Java 21+ is installed. */
export const FALLBACK_APICURIO_VERSION = '2.6.13.Final';

export interface SchemaRegistryRuntime {
  readonly version: string;
  /** The unpacked `all` distribution. */
  readonly appDir: string;
  /** Its runnable jar: `quarkus-run.jar` (3.x) or `apicurio-registry-app-<version>-runner.jar` (2.x). */
  readonly jar: string;
  readonly java: JavaInstall;
}

export interface ResolveSchemaRegistryOptions {
  /** Default: 3.3.3 with Java 21+, else 2.6.13.Final on Java 17. */
  readonly version?: string;
  readonly cacheDir?: string;
  readonly onProgress?: (message: string) => void;
}

function requiredJava(version: string): number {
  return Number(version.split('.')[0]) >= 3 ? 21 : 17;
}

function installHint(major: number): string {
  return (
    `install a JDK ${major} or newer (Debian 13: apt-get install -y openjdk-${major}-jdk-headless; ` +
    `Debian 12: Eclipse Temurin ${major} from the Adoptium apt repository), or set JAVA_HOME to one`
  );
}

/**
 * The Apicurio version and Java to run it with on this machine (`installs`: the Java installs found, newest
 * first); throws naming what to install if none fits.
 */
export function chooseSchemaRegistryRuntime(
  version?: string,
  installs: readonly JavaInstall[] = javaInstalls(),
): { version: string; java: JavaInstall } {
  const findJava = (major: number) => installs.find((j) => j.major >= major);
  if (version !== undefined) {
    const major = requiredJava(version);
    const java = findJava(major);
    if (!java) {
      const seen = installs.map((j) => `${j.major} (${j.path})`);
      throw new KafkaLocalError(
        `Apicurio Registry ${version} needs Java ${major}+, found ${seen.length === 0 ? 'no Java' : `only Java ${seen.join(', ')}`}: ${installHint(major)}`,
      );
    }
    return { version, java };
  }
  const modern = findJava(21);
  if (modern) return { version: DEFAULT_APICURIO_VERSION, java: modern };
  const java17 = findJava(17);
  if (java17) return { version: FALLBACK_APICURIO_VERSION, java: java17 };
  throw new KafkaLocalError(
    `the schema registry (Apicurio Registry) needs Java 17 or newer and none was found: ${installHint(21)}`,
  );
}

/**
 * Downloads Apicurio Registry's `all` distribution from Maven Central with Maven (first run only) and unpacks
 * it into the user cache beside Kafka's jars. Maven downloads into a throw-away local repository, so the
 * 160 MB archive is not kept twice.
 */
export function resolveSchemaRegistry(options: ResolveSchemaRegistryOptions = {}): SchemaRegistryRuntime {
  const { version, java } = chooseSchemaRegistryRuntime(options.version);
  const root = join(options.cacheDir ?? defaultCacheDir(), `apicurio-registry-${version}`);
  const appDir = join(root, 'app');
  const marker = join(root, '.complete');
  if (existsSync(marker)) return { version, appDir, jar: runnableJar(appDir), java };

  if (spawnSync('mvn', ['-v']).status !== 0) {
    throw new KafkaLocalError(
      'kafka-local downloads Apicurio Registry from Maven Central with Maven, and `mvn -v` failed. ' +
        'Install it with: apt-get install -y maven',
    );
  }
  if (spawnSync('tar', ['--version']).status !== 0) {
    throw new KafkaLocalError(
      'kafka-local unpacks Apicurio Registry with tar; install it: apt-get install -y tar',
    );
  }
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, 'download-'));
  try {
    options.onProgress?.(
      `kafka-local: downloading Apicurio Registry ${version} (about 160 MB) from Maven Central into ${root} (first run only)`,
    );
    const started = Date.now();
    const artifact = `io.apicurio:apicurio-registry-app:${version}:tar.gz:all`;
    const result = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        `-Dmaven.repo.local=${join(work, 'repository')}`,
        'dependency:copy',
        `-Dartifact=${artifact}`,
        `-DoutputDirectory=${work}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: work },
    );
    const archive = readdirSync(work).find((f) => f.endsWith('.tar.gz'));
    if (result.status !== 0 || archive === undefined) {
      throw new KafkaLocalError(
        `Maven could not download ${artifact} (exit ${result.status}); check that Maven Central is reachable.\n` +
          `${(result.stdout + result.stderr).slice(-3000)}`,
      );
    }
    const unpacked = join(work, 'app');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', join(work, archive), '-C', unpacked], { encoding: 'utf8' });
    if (tar.status !== 0) throw new KafkaLocalError(`unpacking ${archive} failed: ${tar.stderr}`);
    runnableJar(unpacked);
    rmSync(appDir, { recursive: true, force: true });
    renameSync(unpacked, appDir);
    writeFileSync(marker, `${artifact}\n`);
    options.onProgress?.(
      `kafka-local: Apicurio Registry ${version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { version, appDir, jar: runnableJar(appDir), java };
}

function runnableJar(appDir: string): string {
  const jar = readdirSync(appDir).find((f) => f === 'quarkus-run.jar' || f.endsWith('-runner.jar'));
  if (jar === undefined) {
    throw new KafkaLocalError(
      `${appDir} holds no quarkus-run.jar or *-runner.jar; delete ${join(appDir, '..')} and run again`,
    );
  }
  return join(appDir, jar);
}
