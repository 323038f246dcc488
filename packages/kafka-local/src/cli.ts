import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KafkaCluster } from './KafkaCluster.js';
import { resolveKafkaJars } from './KafkaJars.js';
import { KafkaLocalError } from './KafkaLocalError.js';

const USAGE = `usage: kafka-local <start|stop|status|jars> [--nodes 1|3] [--dir DIR]

  start    start a detached Kafka cluster on 127.0.0.1 and print its bootstrap servers
  stop     stop the cluster started from DIR and delete its data
  status   print the bootstrap servers and which brokers are running
  jars     download Kafka's jars with Maven (first run only) and print their folder

  --nodes  1 (default) or 3 combined broker+controller nodes
  --dir    where cluster state and data live (default: .kafka-local)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { nodes: { type: 'string', default: '1' }, dir: { type: 'string', default: '.kafka-local' } },
  });
  const command = positionals[0];
  const dir = resolve(values.dir);
  const pointer = join(dir, 'current');
  const current = () =>
    existsSync(pointer) ? KafkaCluster.attach(readFileSync(pointer, 'utf8').trim()) : undefined;

  switch (command) {
    case 'start': {
      const nodes = Number(values.nodes);
      if (nodes !== 1 && nodes !== 3)
        throw new KafkaLocalError(`--nodes must be 1 or 3, got '${values.nodes}'`);
      const running = current();
      if (running && running.runningBrokers().length > 0) {
        console.log(running.bootstrapServers);
        console.error(`kafka-local: already running (${dir}); stop it with \`kafka-local stop\``);
        return 0;
      }
      mkdirSync(dir, { recursive: true });
      const cluster = await KafkaCluster.start({
        nodes,
        baseDir: dir,
        detached: true,
        onProgress: (m) => console.error(m),
      });
      writeFileSync(pointer, cluster.stateFile);
      console.log(cluster.bootstrapServers);
      return 0;
    }
    case 'stop': {
      const cluster = current();
      if (!cluster) {
        console.error(`kafka-local: nothing running from ${dir}`);
        return 0;
      }
      await cluster.stop();
      rmSync(pointer, { force: true });
      console.error('kafka-local: stopped');
      return 0;
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
      console.error(`running brokers: ${running.join(', ')}; registered: ${registered.join(', ') || 'none'}`);
      return 0;
    }
    case 'jars': {
      console.log(resolveKafkaJars({ onProgress: (m) => console.error(m) }));
      return 0;
    }
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof KafkaLocalError ? `kafka-local: ${error.message}` : error);
    process.exitCode = 1;
  },
);
