#!/usr/bin/env node
// The quick-start demo (scripts/demo.sh): a local Kafka, the fraud detection application on it, a seeded stream
// of card transactions with planted fraud, alerts as they come, and a summary of what was caught.
//
//   scripts/demo.sh                   one application instance
//   scripts/demo.sh --instances 2     the same application twice: the two processes split the partitions
//   scripts/demo.sh --help            every option
import { parseArgs } from 'node:util';
import { KafkaCluster } from '@tributary/kafka-local';
import { type Alert, RULES } from './Alert.js';
import { alertKeyId, expectedAlerts, sortAlerts, toAlertKey } from './expectedAlerts.js';
import { fraudTopology } from './fraudTopology.js';
import { type RunResult, runFraudDetection } from './runFraudDetection.js';
import { generateScenario } from './Scenario.js';
import { StatusLine } from './StatusLine.js';
import { summarize } from './Summary.js';

const USAGE = `usage: scripts/demo.sh [options]
  --instances N       application processes, which split the 4 partitions (default 1)
  --seed N            the generator's seed: the same seed plants the same fraud (default 42)
  --transactions N    about this many transactions (default 20000)
  --rate N            transactions per second (default 1000)
  --duration S        send for about S seconds: sets --transactions to rate x S
  --fraud-share F     planted fraud patterns per transaction, spread over the five rules (default 0.003)
  --bootstrap H:P     use this Kafka instead of starting one (topics get a fresh prefix per run)
  --schema-registry U with --bootstrap: transactions in Avro with this schema registry (else JSON)
  --json              transactions as JSON, no schema registry (default: Avro, with a local registry)
  --topology          print the topology and exit`;

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    transactions: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string' },
    'fraud-share': { type: 'string', default: '0.003' },
    bootstrap: { type: 'string' },
    'schema-registry': { type: 'string' },
    json: { type: 'boolean' },
    topology: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.topology) {
  console.log(fraudTopology().describe().toString());
  process.exit(0);
}
const number = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, not '${value}'\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const instances = number('instances', values.instances);
const seed = number('seed', values.seed);
const rate = number('rate', values.rate);
const transactions =
  values.duration === undefined
    ? number('transactions', values.transactions)
    : rate * number('duration', values.duration);
const fraudShare = Number(values['fraud-share']);
if (!(fraudShare > 0 && fraudShare < 0.2)) {
  console.error(`--fraud-share must be a number between 0 and 0.2, not '${values['fraud-share']}'\n${USAGE}`);
  process.exit(2);
}

const status = new StatusLine();
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
const abort = new AbortController();
let interrupted = 0;
process.on('SIGINT', () => {
  interrupted++;
  if (interrupted > 1) process.exit(130); // a second Ctrl-C: leave now
  status.print('\nCtrl-C: stopping the application and the broker (Ctrl-C again to leave at once)');
  abort.abort();
});
process.on('SIGTERM', () => abort.abort());

function printAlert(alert: Alert): void {
  const first = alert.evidence[0];
  const time = first ? clock(first.timestamp) : '';
  const ids = alert.evidence.map((t) => t.id);
  const shown = ids.length > 3 ? `${ids.slice(0, 2).join(', ')} … ${ids.at(-1)}` : ids.join(', ');
  status.print(`  ALERT ${time} ${alert.rule.padEnd(17)} ${alert.card}  ${alert.detail}  [${shown}]`);
}

console.log(
  `Tributary fraud detection demo: card transactions → five fraud rules → fraud-alerts, exactly once, RocksDB state\n`,
);
const scenario = generateScenario({ seed, transactions, fraudShare });
console.log(
  `  generator: seed ${seed}, ${fmt(scenario.transactions.length)} transactions of ${fmt(new Set(scenario.transactions.map((t) => t.card)).size)} cards at ${fmt(rate)}/s, ` +
    `${scenario.planted.length} planted fraud patterns, ${scenario.decoys.length} genuine large purchases, ${scenario.malformed.length} malformed records`,
);

let cluster: KafkaCluster | undefined;
let registryUrl: string | undefined;
let exitCode = 0;
try {
  let servers = values.bootstrap;
  // On a cluster of your own, a fresh topic prefix and application id per run keep runs apart.
  const run = servers ? `fraud-demo-${Date.now().toString(36)}-` : '';
  if (servers)
    console.log(
      `  using ${servers}: topics ${run}transactions, ${run}fraud-alerts, ...; application id ${run}app`,
    );
  registryUrl = values['schema-registry'];
  if (!servers) {
    cluster = await KafkaCluster.start({
      schemaRegistry: !values.json, // Apicurio Registry (Confluent-compatible API) beside the broker
      onProgress: (m) => console.log(`  [${elapsed()}] ${m}`),
    });
    servers = cluster.bootstrapServers;
    registryUrl = cluster.schemaRegistryUrl;
  }
  console.log(
    registryUrl
      ? `  transactions: Avro, schema registry at ${registryUrl}`
      : '  transactions: JSON (no schema registry)',
  );
  if (abort.signal.aborted) throw new Error('interrupted');
  const result = await runFraudDetection(servers, scenario, {
    instances,
    rate,
    signal: abort.signal,
    ...(run ? { topicPrefix: run, applicationId: `${run}app` } : {}),
    ...(registryUrl ? { schemaRegistryUrl: registryUrl } : {}),
    onEvent: (event) => {
      if (event.type === 'log') status.print(`  [${elapsed()}] ${event.line}`);
      else if (event.type === 'alert') printAlert(event.alert);
      else if (event.type === 'dead-letter') {
        status.print(`  DLQ   ${event.deadLetter.key}: ${event.deadLetter.error}`);
      } else {
        const seconds = event.elapsedMs / 1000;
        status.update(
          `  ${seconds.toFixed(0).padStart(3)} s | sent ${fmt(event.sent)}/${fmt(event.total)} | processed ${fmt(event.committed)} (${fmt(event.committed / Math.max(seconds, 0.001))} tx/s) | ` +
            `alerts ${event.alerts} (${(event.alerts / Math.max(seconds, 0.001)).toFixed(1)}/s) | consumer lag ${fmt(event.lag)}`,
        );
      }
    },
  });
  status.done();
  if (result.stopped) {
    console.log(`\n  stopped after ${fmt(result.sent)} transactions and ${result.alerts.length} alerts`);
    exitCode = 130;
  } else {
    exitCode = report(result);
  }
} catch (error) {
  status.done();
  if (!abort.signal.aborted) {
    console.error(`\n  demo failed: ${(error as Error).stack ?? error}`);
    exitCode = 1;
  } else exitCode = 130;
} finally {
  if (cluster) {
    try {
      await cluster.stop();
      console.log(
        `  broker${cluster.schemaRegistryUrl ? ' and schema registry' : ''} stopped, their data deleted`,
      );
    } catch (error) {
      console.error(`  stopping the broker failed: ${(error as Error).message}`);
      exitCode ||= 1;
    }
  }
  console.log(`  demo took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(exitCode);

function report({ alerts, deadLetters, sent, processingMs, tasks }: RunResult): number {
  const keys = sortAlerts(alerts.map(toAlertKey));
  const summary = summarize(scenario, keys);
  const expected = expectedAlerts(scenario).map(alertKeyId);
  const got = keys.map(alertKeyId);
  const missing = multisetMinus(expected, got);
  const unexpected = multisetMinus(got, expected);
  console.log('\nSummary');
  console.log('  rule                planted  caught');
  for (const rule of RULES) {
    const counts = summary.byRule.get(rule) ?? { planted: 0, caught: 0 };
    console.log(
      `  ${rule.padEnd(18)} ${String(counts.planted).padStart(8)} ${String(counts.caught).padStart(7)}`,
    );
  }
  const missed = summary.patterns.filter((p) => !p.caught);
  console.log(
    missed.length === 0
      ? `  every planted pattern caught: yes (${summary.patterns.length} of ${summary.patterns.length})`
      : `  planted patterns MISSED: ${missed.length} — ${missed.map((p) => `${p.pattern.rule} on ${p.pattern.card}`).join(', ')}`,
  );
  console.log(
    `  false alerts: ${summary.falseAlerts.length}` +
      (summary.falseAlerts.length > 0
        ? ` (${summary.decoyAlerts} of them on genuine large purchases the generator made to look like fraud)`
        : ''),
  );
  console.log(
    missing.length === 0 && unexpected.length === 0
      ? `  alerts: ${alerts.length} in fraud-alerts, exactly the ones a plain-loop reference computes (none missing, none twice)`
      : `  alerts: ${alerts.length} in fraud-alerts; against a plain-loop reference ${missing.length} MISSING, ${unexpected.length} UNEXPECTED (or twice): ` +
          [...missing, ...unexpected].slice(0, 5).join('; '),
  );
  console.log(
    `  throughput: ${fmt(sent)} transactions in ${(processingMs / 1000).toFixed(1)} s = ${fmt(sent / (processingMs / 1000))} tx/s end to end (paced at ${fmt(rate)}/s)`,
  );
  const dlqOk = deadLetters.length === scenario.malformed.length;
  console.log(
    `  malformed records: ${scenario.malformed.length} planted, ${deadLetters.length} in the dead-letter queue${dlqOk ? '' : ' (MISMATCH)'}`,
  );
  for (const [name, ids] of tasks) console.log(`  ${name}: tasks ${ids.join(', ')}`);
  return missed.length === 0 && missing.length === 0 && unexpected.length === 0 && dlqOk ? 0 : 1;
}

/** The items of `a` not matched one for one in `b`. */
function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const id of b) left.set(id, (left.get(id) ?? 0) + 1);
  return a.filter((id) => {
    const n = left.get(id) ?? 0;
    left.set(id, n - 1);
    return n <= 0;
  });
}
