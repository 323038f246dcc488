import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '@tributary/core';
import type { DslStoreSuppliers } from '@tributary/state';
import { type TestInputTopic, TopologyTestDriver } from '../../src/index.js';
import type { OutputRecord, Scenario, ScenarioResult } from './Scenario.js';
import { topologies } from './topologies.js';

const S = Serdes.String();
/** Kafka's internal emit throttles; the Java side sets both to 0 unless a scenario gives them. */
const WINDOWED_EMIT_INTERVAL = '__emit.interval.ms.kstreams.windowed.aggregation__';
const OUTER_JOIN_EMIT_INTERVAL = '__emit.interval.ms.kstreams.outer.join.spurious.results.fix__';

/**
 * Replays a scenario through Tributary's TopologyTestDriver, as the Java side does through Kafka's: one
 * partition, caching off (`statestore.cache.max.bytes` 0 unless the scenario sets it), the emit throttles
 * 0 unless the scenario sets them, wall clock from 0, the output topic read after every step.
 */
export function runTributarySide(scenario: Scenario, dslStoreSuppliers: DslStoreSuppliers): ScenarioResult {
  const records: OutputRecord[] = [];
  let step = -1;
  let driver: TopologyTestDriver | undefined;
  // Persistent stores in memory-backed /dev/shm where there is one: thousands of short-lived RocksDB instances
  // otherwise spend most of the run waiting on the disk.
  const stateDir = mkdtempSync(
    join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tributary-conformance-'),
  );
  try {
    const topology = topologies.get(scenario.topology);
    if (topology === undefined) throw new Error(`unknown topology '${scenario.topology}'`);
    const config = scenario.config ?? {};
    const options = {
      dslStoreSuppliers,
      windowedAggregationEmitIntervalMs: Number(config[WINDOWED_EMIT_INTERVAL] ?? 0),
      outerJoinEmitIntervalMs: Number(config[OUTER_JOIN_EMIT_INTERVAL] ?? 0),
    };
    driver = new TopologyTestDriver(topology.build(options), {
      applicationId: 'conformance',
      stateDir,
      cacheMaxBytes: Number(config['statestore.cache.max.bytes'] ?? 0),
    });
    const out = driver.createOutputTopic('out', S, S);
    const inputs = new Map<string, TestInputTopic<string | null, string | null>>();
    for (const s of scenario.steps) {
      step++;
      if ('advance' in s) driver.advanceWallClockTime(s.advance);
      else {
        let input = inputs.get(s.pipe);
        if (input === undefined) {
          input = driver.createInputTopic<string | null, string | null>(s.pipe, S, S);
          inputs.set(s.pipe, input);
        }
        input.pipeInput(s.key, s.value, s.ts);
      }
      for (const r of out.readRecordsToList())
        records.push({ step, key: r.key, value: r.value, ts: r.timestamp });
    }
  } catch (error) {
    return { id: scenario.id, records, error: String(error), errorStep: step };
  } finally {
    try {
      driver?.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  return { id: scenario.id, records };
}
