import { randomUUID } from 'node:crypto';
import { HttpSchemaRegistryClient } from '@tributary/avro';
import { describe, expect, it } from 'vitest';
import { bootstrap, schemaRegistryUrl } from '../../../test/kafkaTestSupport.js';
import { TRANSACTION_SCHEMA } from '../src/avroTransactionSerde.js';
import { alertKeyId, expectedAlerts, sortAlerts, toAlertKey } from '../src/expectedAlerts.js';
import { runFraudDetection } from '../src/runFraudDetection.js';
import { generateScenario } from '../src/Scenario.js';
import { summarize } from '../src/Summary.js';

// The fraud example end to end on a real broker, as the demo runs it: the application as separate processes
// (dist/app.js: run `npx tsc -b` first), exactly-once, RocksDB stores, Avro transactions with kafka-local's
// schema registry (the file name asks the global setup for one), a fixed seed.
const scenario = generateScenario({
  seed: 2024,
  transactions: 6_000,
  cards: 400,
  fraudShare: 0.005,
  decoyShare: 0.001,
});
const expected = expectedAlerts(scenario).map(alertKeyId);

async function run(instances: number) {
  const prefix = `fraud-it-${randomUUID().slice(0, 8)}-`;
  const lines: string[] = [];
  const result = await runFraudDetection(bootstrap(), scenario, {
    instances,
    topicPrefix: prefix,
    applicationId: `${prefix}app`,
    schemaRegistryUrl: schemaRegistryUrl(),
    timeoutMs: 90_000,
    onEvent: (e) => {
      if (e.type === 'log') lines.push(e.line);
    },
  });
  // The producer registered the transaction schema under the topic's value subject.
  const registered = await new HttpSchemaRegistryClient({ url: schemaRegistryUrl() }).getLatestSchema(
    `${prefix}transactions-value`,
  );
  expect(JSON.parse(registered.schema)).toMatchObject({ name: TRANSACTION_SCHEMA.name, type: 'record' });
  return { result, lines };
}

function checkAlerts(result: Awaited<ReturnType<typeof run>>['result']): void {
  expect(result.sent).toBe(scenario.transactions.length + scenario.malformed.length);
  // Every malformed record, and nothing else, went to the dead-letter queue, once.
  expect(result.deadLetters.map((d) => `${d.key} ${d.payload}`).sort()).toEqual(
    scenario.malformed.map((m) => `${m.card} ${m.payload}`).sort(),
  );
  expect(result.deadLetters.every((d) => d.error.length > 0)).toBe(true);
  // Exactly the reference's alerts: none missing, none extra, none twice (read_committed).
  const alerts = sortAlerts(result.alerts.map(toAlertKey));
  expect(alerts.map(alertKeyId)).toEqual(expected);
  for (const alert of result.alerts) {
    expect(alert.evidence.every((tx) => tx.card === alert.card)).toBe(true);
  }
  const summary = summarize(scenario, alerts);
  expect(summary.patterns.filter((p) => !p.caught)).toEqual([]);
  expect(summary.falseAlerts.length).toBe(scenario.decoys.length);
  expect(summary.decoyAlerts).toBe(scenario.decoys.length);
}

describe('fraud detection example on a real broker', () => {
  it('the scenario plants every kind of fraud', () => {
    expect(scenario.planted.length).toBe(30);
    expect(new Set(scenario.planted.map((p) => p.rule)).size).toBe(5);
    expect(scenario.decoys.length).toBe(6);
    expect(scenario.malformed.length).toBe(3);
    expect(expected.length).toBeGreaterThan(scenario.planted.length);
  });

  it('one instance: raises exactly the expected alerts, every planted pattern caught', async () => {
    const { result, lines } = await run(1);
    expect([...result.tasks.values()]).toEqual([['0_0', '0_1', '0_2', '0_3']]);
    checkAlerts(result);
    expect(lines.at(-1)).toBe('application instances stopped (exit codes 0)');
  });

  it('two instances split the partitions, and the alerts are the same', async () => {
    const { result, lines } = await run(2);
    const tasks = [...result.tasks.values()];
    expect(tasks.length).toBe(2);
    expect(tasks.every((t) => t.length === 2)).toBe(true);
    expect(tasks.flat().sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    checkAlerts(result);
    expect(lines.at(-1)).toBe('application instances stopped (exit codes 0, 0)');
  });
});
