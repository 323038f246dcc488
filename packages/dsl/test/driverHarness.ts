import { ConfigError, Serdes } from '@tributary/core';
import { type DslStoreSuppliers, InMemoryDslStoreSuppliers } from '@tributary/state';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach } from 'vitest';
import type { Topology } from '../src/index.js';

/** The environment variable naming the store type the stateful DSL tests run on. */
export const DSL_STORE_ENV = 'TRIBUTARY_TEST_DSL_STORE';

/**
 * The DslStoreSuppliers for a value of `TRIBUTARY_TEST_DSL_STORE`: `in-memory` (also when unset or empty) or
 * `rocksdb` (`RocksDBDslStoreSuppliers`, imported only then, so the in-memory runs never load RocksDB).
 */
export async function dslStoreSuppliersFor(value: string | undefined): Promise<DslStoreSuppliers> {
  switch (value === undefined || value === '' ? 'in-memory' : value) {
    case 'in-memory':
      return InMemoryDslStoreSuppliers;
    case 'rocksdb': {
      const rocksdb: { readonly RocksDBDslStoreSuppliers?: DslStoreSuppliers } = await import(
        '@tributary/rocksdb'
      );
      if (rocksdb.RocksDBDslStoreSuppliers === undefined) {
        throw new ConfigError(
          `${DSL_STORE_ENV}=rocksdb, but '@tributary/rocksdb' does not export RocksDBDslStoreSuppliers; ` +
            `unset ${DSL_STORE_ENV} or set it to in-memory`,
        );
      }
      return rocksdb.RocksDBDslStoreSuppliers;
    }
    default:
      throw new ConfigError(
        `${DSL_STORE_ENV}='${value}' is not a store type the DSL tests know: use 'in-memory' (the default) or 'rocksdb'`,
      );
  }
}

/** The store type of this run, from `TRIBUTARY_TEST_DSL_STORE`. */
export const dslStoreSuppliers = await dslStoreSuppliersFor(process.env[DSL_STORE_ENV]);

/** Spread into every StreamsBuilder of a stateful test, so the whole suite runs on the chosen store type. */
export const storeDefaults = { dslStoreSuppliers };

/** Serdes and builder defaults every DSL test uses. */
export const S = Serdes.String();
export const I = Serdes.Int64();
export const defaults = { defaultKeySerde: S, defaultValueSerde: S, ...storeDefaults };

export type DriverConfig = ConstructorParameters<typeof TopologyTestDriver>[1];

/**
 * Registers an `afterEach` that closes every driver the test made (deleting their state directories), and returns
 * `start(topology, config)`, which makes a driver with `base` overridden (shallowly) by `config`. Call it once at
 * the top of a test file.
 */
export function driverPerTest(
  base: DriverConfig = {},
): (topology: Topology, config?: DriverConfig) => TopologyTestDriver {
  const drivers: TopologyTestDriver[] = [];
  afterEach(() => {
    for (const driver of drivers.splice(0)) driver.close();
  });
  return (topology, config = {}) => {
    const driver = new TopologyTestDriver(topology, { ...base, ...config });
    drivers.push(driver);
    return driver;
  };
}
