import { Serdes } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach } from 'vitest';
import type { Topology } from '../src/index.js';

/** Serdes and builder defaults every DSL test uses. */
export const S = Serdes.String();
export const I = Serdes.Int64();
export const defaults = { defaultKeySerde: S, defaultValueSerde: S };

export type DriverConfig = ConstructorParameters<typeof TopologyTestDriver>[1];

/**
 * Registers an `afterEach` that closes the driver made last, and returns `start(topology, config)`, which makes
 * a driver with `base` overridden (shallowly) by `config`. Call it once at the top of a test file.
 */
export function driverPerTest(
  base: DriverConfig = {},
): (topology: Topology, config?: DriverConfig) => TopologyTestDriver {
  let driver: TopologyTestDriver | undefined;
  afterEach(() => {
    driver?.close();
    driver = undefined;
  });
  return (topology, config = {}) => {
    driver = new TopologyTestDriver(topology, { ...base, ...config });
    return driver;
  };
}
