import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KafkaCluster } from '../KafkaCluster.js';
import { resolveKafkaJars } from '../KafkaJars.js';
import { resolveSchemaRegistry } from '../SchemaRegistryArtifacts.js';

const USAGE = `usage: kafka-local <start|stop|restart|status|jars|help> [options]

  start     start a detached Kafka cluster on 127.0.0.1 and print its bootstrap servers
  stop      stop the cluster started from DIR (and its schema registry) and delete its data
  restart   stop, then start again with the same nodes and schema registry (or the options given)
  status    print the bootstrap servers, the schema registry's URL, and every process with its PID
  jars      download Kafka's jars with Maven (first run only) and print their folder
  help      print this text

  --nodes 1|3         one node (default) or three combined broker+controller nodes
  --schema-registry   also start a schema registry (Apicurio Registry, Confluent-compatible API);
                      with jars: also download it
  --dir DIR           where cluster state and data live (default: .kafka-local)
  -h, --help          print this text`;

function usageError(message: string): number {
  console.error(`kafka-local: ${message}\n\n${USAGE}`);
  return 2;
}

/** The `kafka-local` command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const dir = resolve(values.dir);
  const pointer = join(dir, 'current');
  const current = () =>
    existsSync(pointer) ? KafkaCluster.attach(readFileSync(pointer, 'utf8').trim()) : undefined;

  const start = async (nodes: number, schemaRegistry: boolean): Promise<number> => {
    if (nodes !== 1 && nodes !== 3) return usageError(`--nodes must be 1 or 3, got '${nodes}'`);
    mkdirSync(dir, { recursive: true });
    const cluster = await KafkaCluster.start({
      nodes,
      baseDir: dir,
      detached: true,
      schemaRegistry,
      onProgress: (m) => console.error(m),
    });
    writeFileSync(pointer, cluster.stateFile);
    console.log(cluster.bootstrapServers);
    if (cluster.schemaRegistryUrl)
      console.error(`kafka-local: schema registry at ${cluster.schemaRegistryUrl}`);
    return 0;
  };
  const stop = async (): Promise<boolean> => {
    const cluster = current();
    if (!cluster) return false;
    await cluster.stop();
    rmSync(pointer, { force: true });
    return true;
  };

  switch (command) {
    case 'start': {
      const running = current();
      if (running && running.runningBrokers().length > 0) {
        console.log(running.bootstrapServers);
        console.error(`kafka-local: already running (${dir}); stop it with \`kafka-local stop\``);
        return 0;
      }
      return start(Number(values.nodes ?? '1'), values['schema-registry'] ?? false);
    }
    case 'stop': {
      console.error((await stop()) ? 'kafka-local: stopped' : `kafka-local: nothing running from ${dir}`);
      return 0;
    }
    case 'restart': {
      const previous = current();
      const nodes = Number(values.nodes ?? previous?.brokers.length ?? 1);
      const schemaRegistry = values['schema-registry'] ?? previous?.schemaRegistryUrl !== undefined;
      if (await stop()) console.error('kafka-local: stopped');
      return start(nodes, schemaRegistry);
    }
    case 'status': {
      const cluster = current();
      const running = cluster?.runningBrokers() ?? [];
      if (!cluster || running.length === 0) {
        console.log('stopped');
        return 1;
      }
      const registered = await cluster.registeredBrokers().catch(() => [] as number[]);
      console.log(cluster.bootstrapServers);
      for (const broker of cluster.brokers) {
        const state = running.includes(broker.nodeId)
          ? registered.includes(broker.nodeId)
            ? 'running, registered'
            : 'running, not registered'
          : 'not running';
        console.log(`broker ${broker.nodeId}  pid ${broker.pid ?? '-'}  127.0.0.1:${broker.port}  ${state}`);
      }
      if (cluster.schemaRegistryUrl !== undefined) {
        const state = cluster.schemaRegistryRunning() ? 'running' : 'not running';
        console.log(
          `schema registry  pid ${cluster.schemaRegistryPid ?? '-'}  ${cluster.schemaRegistryUrl}  ${state}`,
        );
      }
      return 0;
    }
    case 'jars': {
      console.log(resolveKafkaJars({ onProgress: (m) => console.error(m) }));
      if (values['schema-registry'])
        console.log(resolveSchemaRegistry({ onProgress: (m) => console.error(m) }).jar);
      return 0;
    }
    default:
      return usageError(`unknown command '${command}'`);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      nodes: { type: 'string' },
      dir: { type: 'string', default: '.kafka-local' },
      'schema-registry': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
