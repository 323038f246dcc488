import type { Rule } from './Alert.js';
import type { AlertKey } from './expectedAlerts.js';
import type { PlantedPattern, Scenario } from './Scenario.js';

/** Alerts held against what the generator planted. */
export interface Summary {
  /** Every planted pattern, and whether an alert of its rule on its card names one of its transactions. */
  readonly patterns: readonly { readonly pattern: PlantedPattern; readonly caught: boolean }[];
  /** Alerts that name no planted transaction. */
  readonly falseAlerts: readonly AlertKey[];
  /** Of the false alerts, those on a decoy (a genuine large purchase). */
  readonly decoyAlerts: number;
  /** Planted patterns and caught ones per rule. */
  readonly byRule: ReadonlyMap<Rule, { readonly planted: number; readonly caught: number }>;
}

export function summarize(scenario: Scenario, alerts: readonly AlertKey[]): Summary {
  const plantedIds = new Set(scenario.planted.flatMap((p) => p.transactionIds));
  const decoys = new Set(scenario.decoys);
  const patterns = scenario.planted.map((pattern) => {
    const ids = new Set(pattern.transactionIds);
    const caught = alerts.some(
      (a) => a.rule === pattern.rule && a.card === pattern.card && a.evidence.some((id) => ids.has(id)),
    );
    return { pattern, caught };
  });
  const falseAlerts = alerts.filter((a) => !a.evidence.some((id) => plantedIds.has(id)));
  const byRule = new Map<Rule, { planted: number; caught: number }>();
  for (const { pattern, caught } of patterns) {
    const counts = byRule.get(pattern.rule) ?? { planted: 0, caught: 0 };
    counts.planted++;
    if (caught) counts.caught++;
    byRule.set(pattern.rule, counts);
  }
  return {
    patterns,
    falseAlerts,
    decoyAlerts: falseAlerts.filter((a) => a.evidence.some((id) => decoys.has(id))).length,
    byRule,
  };
}
