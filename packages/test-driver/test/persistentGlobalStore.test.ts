import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '@tributary/core';
import { Consumed, Materialized, StreamsBuilder } from '@tributary/dsl';
import { RocksDBDslStoreSuppliers } from '@tributary/rocksdb';
import { afterEach, describe, expect, it } from 'vitest';
import { TopologyTestDriver } from '../src/index.js';

const S = Serdes.String();
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function globalTableTopology() {
  const builder = new StreamsBuilder({ dslStoreSuppliers: RocksDBDslStoreSuppliers });
  builder.globalTable('rates', Consumed.with(S, S), Materialized.as<string, string>('rates-store'));
  return builder.build();
}

describe('a persistent (RocksDB) global store', () => {
  it('starts empty on every start: its topic is read again, and rows deleted meanwhile must not survive', () => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-global-test-'));
    const first = new TopologyTestDriver(globalTableTopology(), { applicationId: 'g', stateDir: dir });
    first.createInputTopic('rates', S, S).pipeInput('EUR', '1.1', 1);
    expect(first.getKeyValueStore<string, string>('rates-store').get('EUR')).toBe('1.1');
    first.close();

    const second = new TopologyTestDriver(globalTableTopology(), { applicationId: 'g', stateDir: dir });
    expect(second.getKeyValueStore<string, string>('rates-store').get('EUR')).toBeNull();
    second.createInputTopic('rates', S, S).pipeInput('USD', '1.0', 2);
    expect(second.getKeyValueStore<string, string>('rates-store').get('USD')).toBe('1.0');
    second.close();
  });
});
