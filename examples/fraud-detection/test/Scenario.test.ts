import { describe, expect, it } from 'vitest';
import { generateScenario } from '../src/Scenario.js';
import { checkTransaction, transactionSerde } from '../src/transactionSerde.js';

describe('generateScenario', () => {
  const options = { seed: 11, transactions: 3_000, cards: 200, fraudShare: 0.01, startMs: 1_700_000_000_000 };
  const scenario = generateScenario(options);

  it('gives the same scenario for the same seed, another for another seed', () => {
    expect(generateScenario(options)).toEqual(scenario);
    expect(generateScenario({ ...options, seed: 12 }).transactions).not.toEqual(scenario.transactions);
  });

  it('orders transactions by event time and numbers them in that order', () => {
    const txs = scenario.transactions;
    for (let i = 1; i < txs.length; i++) {
      expect(txs[i]!.timestamp).toBeGreaterThanOrEqual(txs[i - 1]!.timestamp);
      expect(txs[i]!.id > txs[i - 1]!.id).toBe(true);
    }
    expect(txs[0]!.timestamp).toBeGreaterThanOrEqual(1_699_999_980_000); // startMs floored to the minute
  });

  it('keeps ordinary traffic clear of the rules: 3 minutes between a card’s payments', () => {
    const planted = new Set([...scenario.planted.flatMap((p) => p.transactionIds), ...scenario.decoys]);
    const last = new Map<string, number>();
    for (const tx of scenario.transactions) {
      if (planted.has(tx.id)) continue;
      const previous = last.get(tx.card);
      if (previous !== undefined) expect(tx.timestamp - previous).toBeGreaterThanOrEqual(3 * 60_000);
      last.set(tx.card, tx.timestamp);
    }
  });

  it('plants each rule on cards of their own, plus decoys and malformed records', () => {
    expect(scenario.planted.map((p) => p.rule)).toEqual(
      Array.from(
        { length: 30 },
        (_, i) => ['velocity', 'amount-spike', 'impossible-travel', 'blocked-card', 'merchant-risk'][i % 5],
      ),
    );
    expect(new Set(scenario.planted.map((p) => p.card)).size).toBe(30);
    expect(scenario.decoys.length).toBe(1);
    expect(scenario.malformed.map((m) => m.problem)).toEqual(['truncated JSON', 'no merchant']);
  });

  it('writes transactions the checking serde reads back, and malformed records it rejects', () => {
    const serde = transactionSerde();
    for (const tx of scenario.transactions.slice(0, 100)) {
      expect(serde.deserialize('transactions', serde.serialize('transactions', tx))).toEqual(tx);
    }
    for (const bad of scenario.malformed) {
      expect(() => serde.deserialize('transactions', Buffer.from(bad.payload))).toThrow(/transactions: /);
    }
    expect(checkTransaction({ ...scenario.transactions[0], amount: '12,50' })).toBe(
      `'amount' is "12,50", not a positive number`,
    );
  });
});
