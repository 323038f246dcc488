import type { DslStoreSuppliers } from '@tributary/state';

/**
 * Checks at the call that `value` is a DslStoreSuppliers (a JavaScript caller may pass `'rocksdb'` or a store
 * supplier), so the mistake is not found only when the topology is built. `where` names the call, `fail` makes
 * the error (ConfigError for the builder option, TopologyError for an operator's option).
 */
export function checkDslStoreSuppliers(
  value: unknown,
  where: string,
  fail: (message: string) => Error,
): DslStoreSuppliers {
  const candidate = value as Partial<DslStoreSuppliers> | null | undefined;
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.kind === 'string' &&
    typeof candidate.keyValueStore === 'function' &&
    typeof candidate.windowStore === 'function' &&
    typeof candidate.sessionStore === 'function'
  ) {
    return candidate as DslStoreSuppliers;
  }
  const shown =
    typeof value === 'string' ? `'${value}'` : typeof value === 'object' ? 'an object' : String(value);
  throw fail(
    `${where} needs a DslStoreSuppliers (kind, keyValueStore, windowStore, sessionStore), got ${shown}: pass ` +
      "InMemoryDslStoreSuppliers from '@tributary/state' or RocksDBDslStoreSuppliers from '@tributary/rocksdb'",
  );
}
