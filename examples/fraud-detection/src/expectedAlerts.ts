import type { Alert, Rule } from './Alert.js';
import { distanceKm } from './Countries.js';
import { DEFAULT_RULES, type FraudRules } from './FraudRules.js';
import type { Scenario } from './Scenario.js';
import type { Transaction } from './Transaction.js';

/** An alert's identity: what the tests compare (the detail text is for people). */
export type AlertKey = Pick<Alert, 'rule' | 'card'> & { readonly evidence: readonly string[] };

/**
 * The alerts the topology must produce for a scenario, computed the plain way (loops over each card's
 * transactions, no streams): the reference the tests hold the topology to. Sorted by `alertKeyId`.
 */
export function expectedAlerts(scenario: Scenario, rules: FraudRules = DEFAULT_RULES): AlertKey[] {
  const alerts: AlertKey[] = [];
  const add = (rule: Rule, card: string, evidence: readonly Transaction[]) =>
    alerts.push({ rule, card, evidence: evidence.map((t) => t.id) });
  const byCard = new Map<string, Transaction[]>();
  for (const tx of scenario.transactions) byCard.set(tx.card, [...(byCard.get(tx.card) ?? []), tx]);
  const blocked = new Set(scenario.blockedCards.map((b) => b.card));
  const risky = new Set(
    scenario.merchants.filter((m) => m.riskScore >= rules.merchantRiskThreshold).map((m) => m.id),
  );

  for (const [card, txs] of byCard) {
    // velocity: every hopping window that holds one of the card's transactions.
    const starts = new Set<number>();
    for (const tx of txs) {
      const last = tx.timestamp - (tx.timestamp % rules.velocityAdvanceMs);
      for (let s = last; s > tx.timestamp - rules.velocityWindowMs; s -= rules.velocityAdvanceMs) {
        if (s >= 0) starts.add(s);
      }
    }
    for (const start of [...starts].sort((a, b) => a - b)) {
      const inside = txs.filter((t) => t.timestamp >= start && t.timestamp < start + rules.velocityWindowMs);
      if (inside.length > rules.velocityMaxTransactions) add('velocity', card, inside);
    }
    // amount spike: against the average of the card's earlier transactions (in cents, as the topology does).
    let count = 0;
    let total = 0;
    for (const tx of txs) {
      const amount = Math.round(tx.amount * 100);
      if (count >= rules.spikeMinHistory && amount * count > rules.spikeFactor * total) {
        add('amount-spike', card, [tx]);
      }
      count++;
      total += amount;
    }
    // impossible travel: every pair within the window, earlier first.
    for (let i = 0; i < txs.length; i++) {
      for (let j = i + 1; j < txs.length; j++) {
        const a = txs[i]!;
        const b = txs[j]!;
        if (b.timestamp - a.timestamp > rules.travelWindowMs) break;
        const hours = (b.timestamp - a.timestamp) / 3_600_000;
        if (a.country !== b.country && distanceKm(a.country, b.country) > rules.travelMaxKmh * hours) {
          add('impossible-travel', card, [a, b]);
        }
      }
    }
    for (const tx of txs) {
      if (blocked.has(card)) add('blocked-card', card, [tx]);
      if (risky.has(tx.merchant)) add('merchant-risk', card, [tx]);
    }
  }
  return sortAlerts(alerts);
}

/** Sorted by `alertKeyId`, for comparing sets of alerts. */
export function sortAlerts<A extends AlertKey>(alerts: readonly A[]): A[] {
  return [...alerts].sort((a, b) =>
    alertKeyId(a) < alertKeyId(b) ? -1 : alertKeyId(a) > alertKeyId(b) ? 1 : 0,
  );
}

/** The identity of an alert read from `fraud-alerts`. */
export function toAlertKey(alert: Alert): AlertKey {
  return { rule: alert.rule, card: alert.card, evidence: alert.evidence.map((t) => t.id) };
}

/** One line per alert: `rule card [tx-1,tx-2]`. */
export function alertKeyId(alert: AlertKey): string {
  return `${alert.rule} ${alert.card} [${alert.evidence.join(',')}]`;
}
