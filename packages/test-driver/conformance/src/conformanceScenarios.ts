import { edgeScenarios } from './edgeScenarios.js';
import { randomScenario } from './randomScenario.js';
import type { Scenario } from './Scenario.js';
import { topologies } from './topologies.js';

/** The environment variable giving the number of random seeds per topology (default 20; the long run uses 200). */
export const SEEDS_ENV = 'TRIBUTARY_CONFORMANCE_SEEDS';

export function seedCount(): number {
  const value = process.env[SEEDS_ENV];
  const seeds = value === undefined || value === '' ? 20 : Number(value);
  if (!Number.isInteger(seeds) || seeds < 0) {
    throw new Error(`${SEEDS_ENV}='${value}' is not a whole number of seeds per topology (e.g. 20 or 200)`);
  }
  return seeds;
}

/** Every scenario of the suite: each topology's handcrafted edges, then `seeds` random ones. */
export function conformanceScenarios(seeds: number): Map<string, Scenario[]> {
  const byTopology = new Map<string, Scenario[]>();
  for (const topology of topologies.values()) {
    const scenarios = edgeScenarios(topology.name);
    for (let seed = 0; seed < seeds; seed++) scenarios.push(randomScenario(topology, seed));
    // Kafka's default wall-clock emit throttle (1000 ms) where the topology has one, over a quarter of the seeds.
    const throttle = throttleConfig(topology.name);
    if (throttle !== undefined) {
      for (let seed = 0; seed < Math.ceil(seeds / 4); seed++) {
        const scenario = randomScenario(topology, seed + 1_000_000);
        scenarios.push({ ...scenario, id: `${scenario.id}-throttled`, config: throttle });
      }
    }
    byTopology.set(topology.name, scenarios);
  }
  return byTopology;
}

/** Kafka's emit-throttle config at its default, for the topologies that have one. */
function throttleConfig(topology: string): Readonly<Record<string, string>> | undefined {
  if (topology.endsWith('-final')) return { '__emit.interval.ms.kstreams.windowed.aggregation__': '1000' };
  if (topology === 'ss-left' || topology === 'ss-outer') {
    return { '__emit.interval.ms.kstreams.outer.join.spurious.results.fix__': '1000' };
  }
  return undefined;
}
