import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { Consumed, Materialized, Produced, StreamsBuilder } from '../src/index.js';
import { DSL_STORE_ENV, defaults, dslStoreSuppliers, I, S } from './driverHarness.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the store type this run of the DSL suite uses', () => {
  it(`is the one ${DSL_STORE_ENV} names, and the DSL's stores really are of that type`, () => {
    const expected = process.env[DSL_STORE_ENV] || 'in-memory';
    expect(dslStoreSuppliers.kind).toBe(expected);
    const builder = new StreamsBuilder(defaults);
    builder
      .stream('in', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as('counts'))
      .toStream()
      .to('out', Produced.with(S, I));
    dir = mkdtempSync(join(tmpdir(), 'tributary-backend-test-'));
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'backend', stateDir: dir });
    driver.createInputTopic('in', S, S).pipeInput('k', 'v', 0);
    expect(driver.getKeyValueStore<string, number>('counts').get('k')).toBe(1);
    // A RocksDB store lives in <state.dir>/<application.id>/<task>/rocksdb/<store>; an in-memory one nowhere.
    expect(existsSync(join(dir, 'backend', '0_0', 'rocksdb', 'counts'))).toBe(expected === 'rocksdb');
    driver.close();
  });
});
