import { Named } from '../Named.js';

/** The `(named?, materialized?)` / `(materialized?)` overloads of the aggregation methods, as a pair. */
export function splitNamedMaterialized<M>(
  named: Named | M | undefined,
  materialized: M | undefined,
): [Named | undefined, M | undefined] {
  if (named instanceof Named || named === undefined) return [named as Named | undefined, materialized];
  return [undefined, named];
}
