import { ConfigError } from '@tributary/core';
import { InMemoryDslStoreSuppliers } from '@tributary/state';
import { describe, expect, it } from 'vitest';
import { dslStoreSuppliersFor } from './driverHarness.js';

describe('TRIBUTARY_TEST_DSL_STORE (the store type of the DSL test suite)', () => {
  it('means the in-memory stores when unset, empty or in-memory', async () => {
    expect(await dslStoreSuppliersFor(undefined)).toBe(InMemoryDslStoreSuppliers);
    expect(await dslStoreSuppliersFor('')).toBe(InMemoryDslStoreSuppliers);
    expect(await dslStoreSuppliersFor('in-memory')).toBe(InMemoryDslStoreSuppliers);
  });

  it('fails on an unknown value, naming the variable and the accepted values', async () => {
    await expect(dslStoreSuppliersFor('RocksDB')).rejects.toThrow(
      new ConfigError(
        "TRIBUTARY_TEST_DSL_STORE='RocksDB' is not a store type the DSL tests know: use 'in-memory' (the default) or 'rocksdb'",
      ),
    );
  });
});
