import { beforeAll, describe, expect, it } from 'vitest';
import { dslStoreSuppliers } from '../../dsl/test/driverHarness.js';
import { compareResults } from '../conformance/src/compareResults.js';
import { conformanceScenarios, seedCount } from '../conformance/src/conformanceScenarios.js';
import { runKafkaSide } from '../conformance/src/KafkaSide.js';
import { knownDifferences } from '../conformance/src/knownDifferences.js';
import type { ScenarioResult } from '../conformance/src/Scenario.js';
import { runTributarySide } from '../conformance/src/TributarySide.js';

// The differential suite (issue 15): every conformance topology, its handcrafted edge scenarios and
// TRIBUTARY_CONFORMANCE_SEEDS random ones (default 20), replayed through Kafka Streams' TopologyTestDriver (one
// JVM for all, results cached) and through ours on the store type of this run (TRIBUTARY_TEST_DSL_STORE).
const byTopology = conformanceScenarios(seedCount());
let kafka: Map<string, ScenarioResult>;

const allScenarios = [...byTopology.values()].flat();
beforeAll(
  () => {
    kafka = runKafkaSide(allScenarios);
  },
  // The Maven build on the first run, then about 70 ms of JVM time per scenario; a loaded machine is slower.
  Math.max(600_000, allScenarios.length * 400),
);

describe('conformance with Kafka Streams 4.3.1', () => {
  for (const [topology, scenarios] of byTopology) {
    // TRIBUTARY_CONFORMANCE_ALL=1 runs the topologies with open differences too.
    const known = process.env.TRIBUTARY_CONFORMANCE_ALL === '1' ? undefined : knownDifferences.get(topology);
    // A topology with an open difference is skipped (named with the difference) until its fix lands.
    (known === undefined ? it : it.skip)(
      known === undefined ? topology : `${topology} (open: ${known})`,
      () => {
        const differences: string[] = [];
        for (const scenario of scenarios) {
          const theirs = kafka.get(scenario.id);
          if (theirs === undefined) throw new Error(`Kafka Streams returned no result for ${scenario.id}`);
          const difference = compareResults(theirs, runTributarySide(scenario, dslStoreSuppliers));
          if (difference !== undefined) differences.push(`${scenario.id}: ${difference}`);
        }
        expect(differences).toEqual([]);
      },
      120_000,
    );
  }
});
