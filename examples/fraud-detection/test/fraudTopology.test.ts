import { InMemorySchemaRegistry } from '@tributary/avro';
import { type Serde, Serdes } from '@tributary/streams';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/Alert.js';
import { avroTransactionSerde } from '../src/avroTransactionSerde.js';
import { expectedAlerts, sortAlerts, toAlertKey } from '../src/expectedAlerts.js';
import { fraudTopics } from '../src/FraudTopics.js';
import { fraudTopology } from '../src/fraudTopology.js';
import { generateScenario, type Scenario } from '../src/Scenario.js';
import { summarize } from '../src/Summary.js';
import type { BlockedCard, Merchant, Transaction } from '../src/Transaction.js';
import { transactionSerde } from '../src/transactionSerde.js';

const TOPICS = fraudTopics();

let driver: TopologyTestDriver | undefined;
afterEach(() => {
  driver?.close();
  driver = undefined;
});

async function run(
  scenario: Scenario,
  options: { inMemory?: boolean; avro?: boolean } = {},
): Promise<Alert[]> {
  // With Avro, the application's serde and the producer's are separate instances sharing one registry.
  const registry = new InMemorySchemaRegistry().client();
  const serde = (): Serde<Transaction> =>
    options.avro ? avroTransactionSerde(registry) : transactionSerde();
  driver = new TopologyTestDriver(fraudTopology({ ...options, transactionSerde: serde() }), {
    defaultPartitions: 4,
    deserializationExceptionHandler: 'logAndContinue',
    deadLetterQueueTopic: TOPICS.deadLetters,
    log: () => {},
  });
  const merchants = driver.createInputTopic(TOPICS.merchants, Serdes.String(), Serdes.Json<Merchant>());
  for (const m of scenario.merchants) merchants.pipeInput(m.id, m, scenario.startMs - 60_000);
  const blocked = driver.createInputTopic(TOPICS.blockedCards, Serdes.String(), Serdes.Json<BlockedCard>());
  for (const b of scenario.blockedCards) blocked.pipeInput(b.card, b, b.blockedAt);
  const txs = driver.createInputTopic(TOPICS.transactions, Serdes.String(), serde());
  const raw = driver.createInputTopic(TOPICS.transactions, Serdes.String(), Serdes.Bytes());
  // Runs of transactions between malformed records, each piped with its serdes prepared (Avro's registry).
  let run: Transaction[] = [];
  const flush = async () => {
    await txs.pipeRecordListAsync(run.map((tx) => ({ key: tx.card, value: tx, timestamp: tx.timestamp })));
    run = [];
  };
  let m = 0;
  for (const tx of scenario.transactions) {
    for (; m < scenario.malformed.length && scenario.malformed[m]!.timestamp < tx.timestamp; m++) {
      await flush();
      const bad = scenario.malformed[m]!;
      raw.pipeInput(bad.card, Buffer.from(bad.payload), bad.timestamp);
    }
    run.push(tx);
  }
  await flush();
  for (const bad of scenario.malformed.slice(m))
    raw.pipeInput(bad.card, Buffer.from(bad.payload), bad.timestamp);
  // Every malformed record, and nothing else, is in the dead-letter queue.
  const dead = driver
    .createOutputTopic(TOPICS.deadLetters, Serdes.String(), Serdes.Bytes())
    .readKeyValuesToList();
  expect(dead.map((r) => `${r.key} ${r.value!.toString()}`).sort()).toEqual(
    scenario.malformed.map((bad) => `${bad.card} ${bad.payload}`).sort(),
  );
  return driver
    .createOutputTopic(TOPICS.alerts, Serdes.String(), Serdes.Json<Alert>())
    .readKeyValuesToList()
    .map(({ key, value }) => {
      expect(key).toBe(value!.card);
      return value!;
    });
}

// Generous timeouts: a shared 2-core machine can be slow; the tests assert results, never time.
describe('fraud topology (test driver, 4 partitions)', { timeout: 120_000 }, () => {
  const scenario = generateScenario({
    seed: 7,
    transactions: 4_000,
    cards: 300,
    fraudShare: 0.008,
    decoyShare: 0.001,
  });

  it('raises exactly the alerts the plain-loop reference computes, and catches every planted pattern', async () => {
    const alerts = sortAlerts((await run(scenario)).map(toAlertKey));
    const expected = expectedAlerts(scenario);
    expect(alerts).toEqual(expected);

    const summary = summarize(scenario, alerts);
    expect(summary.patterns.length).toBe(32);
    expect(scenario.malformed.map((m) => m.problem)).toEqual(['truncated JSON', 'no merchant']);
    expect(summary.patterns.filter((p) => !p.caught)).toEqual([]);
    for (const rule of [
      'velocity',
      'amount-spike',
      'impossible-travel',
      'blocked-card',
      'merchant-risk',
    ] as const) {
      expect(summary.byRule.get(rule)?.caught).toBeGreaterThan(0);
    }
    // The only false alerts are the decoys: genuine large purchases that the amount-spike rule flags.
    expect(summary.falseAlerts.map((a) => a.rule)).toEqual(scenario.decoys.map(() => 'amount-spike'));
    expect(summary.decoyAlerts).toBe(scenario.decoys.length);
  });

  it('gives the same alerts with in-memory stores', async () => {
    expect(sortAlerts((await run(scenario, { inMemory: true })).map(toAlertKey))).toEqual(
      expectedAlerts(scenario),
    );
  });

  it('gives the same alerts with Avro transactions and a schema registry', async () => {
    expect(sortAlerts((await run(scenario, { avro: true })).map(toAlertKey))).toEqual(
      expectedAlerts(scenario),
    );
  });
});
