import { Random } from './Random.js';
import type { Scenario, Step } from './Scenario.js';
import type { ConformanceTopology } from './topologies.js';

/**
 * A random scenario for `topology` from `seed`: 8–40 records over its input topics, keys and values from the
 * topic's small domains (so keys repeat and values group), about 8% null values and 4% null keys, timestamps
 * that mostly advance but often tie or go back (out-of-order, and late by more than the grace periods), and
 * now and then a wall-clock advance (the emit throttles count wall-clock time).
 */
export function randomScenario(topology: ConformanceTopology, seed: number): Scenario {
  const random = new Random(seed * 7919 + hash(topology.name));
  const steps: Step[] = [];
  const length = random.int(8, 40);
  let time = random.int(0, 20);
  for (let i = 0; i < length; i++) {
    if (random.chance(0.06)) {
      steps.push({ advance: random.pick([1, 500, 1000, 1500]) });
      continue;
    }
    const input = random.pick(topology.inputs);
    time += random.pick([0, 0, 1, 1, 2, 3, 5, 8]);
    const skew = random.chance(0.3) ? -random.int(0, 20) : 0;
    steps.push({
      pipe: input.topic,
      key: random.chance(0.04) ? null : random.pick(input.keys),
      value: random.chance(0.08) ? null : random.pick(input.values),
      ts: Math.max(0, time + skew),
    });
  }
  return { id: `${topology.name}/seed-${seed}`, topology: topology.name, steps };
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}
