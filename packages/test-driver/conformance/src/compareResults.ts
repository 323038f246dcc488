import type { OutputRecord, ScenarioResult } from './Scenario.js';

function show(r: OutputRecord | undefined): string {
  return r === undefined ? 'nothing' : `${r.key}=${r.value} @${r.ts} after step ${r.step}`;
}

/**
 * The first difference between Kafka Streams' result and ours, in words, or undefined when they agree: the same
 * records (key, value, timestamp) in the same order, each after the same step, and an error at the same step
 * or none (error messages differ between the libraries and are not compared).
 */
export function compareResults(kafka: ScenarioResult, ours: ScenarioResult): string | undefined {
  const n = Math.max(kafka.records.length, ours.records.length);
  for (let i = 0; i < n; i++) {
    const k = kafka.records[i];
    const o = ours.records[i];
    if (k?.key !== o?.key || k?.value !== o?.value || k?.ts !== o?.ts || k?.step !== o?.step) {
      return `record ${i}: Kafka Streams ${show(k)}, Tributary ${show(o)}`;
    }
  }
  if ((kafka.error === undefined) !== (ours.error === undefined) || kafka.errorStep !== ours.errorStep) {
    return `error: Kafka Streams ${kafka.error ?? 'none'} (step ${kafka.errorStep}), Tributary ${ours.error ?? 'none'} (step ${ours.errorStep})`;
  }
  return undefined;
}
