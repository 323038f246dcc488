import type { Serde } from '@tributary/core';
import { KTable } from '../KTable.js';
import type { Materialized } from '../Materialized.js';
import { Named } from '../Named.js';
import { KTableJoinMerger } from './processors/KTableJoinMerger.js';
import { KTableKTableJoin, type TableJoinKind } from './processors/KTableKTableJoin.js';
import { materializeForJoin } from './TableMaterialization.js';

type AnyJoiner = (left: unknown, right: unknown, key: unknown) => unknown;

/** Splits the optional `(named?, materialized?)` / `(materialized?)` arguments of table operations. */
export function splitNamedMaterialized<M>(
  namedOrMaterialized: Named | M | undefined,
  materialized: M | undefined,
): [Named | undefined, M | undefined] {
  if (namedOrMaterialized instanceof Named || namedOrMaterialized === undefined) {
    return [namedOrMaterialized as Named | undefined, materialized];
  }
  return [undefined, namedOrMaterialized];
}

/**
 * KTable-KTable join / leftJoin / outerJoin, laid out as in Kafka Streams: a `KTABLE-JOINTHIS-` (or `LEFTTHIS`,
 * `OUTERTHIS`) node under the left table looks the right table up, a `KTABLE-JOINOTHER-` (`LEFTOTHER`,
 * `OUTEROTHER`) node under the right table looks the left table up, and both feed `KTABLE-MERGE-`, which writes
 * the result store when materialized. Both tables' stores end up in one task: their topics are co-partitioned.
 */
export function tableTableJoin(
  left: KTable<unknown, unknown>,
  right: KTable<unknown, unknown>,
  joiner: AnyJoiner,
  named: Named | undefined,
  materialized: Materialized<unknown, unknown> | undefined,
  kind: TableJoinKind,
): KTable<unknown, unknown> {
  const builder = left.builder;
  if (right.builder !== builder)
    throw new TypeError('join(): both tables must come from the same StreamsBuilder');
  const operation = kind === 'inner' ? 'join' : kind === 'left' ? 'leftJoin' : 'outerJoin';
  const leftTable = materializeForJoin(left, operation);
  const rightTable = materializeForJoin(right, operation);
  const storeName = materialized
    ? (materialized.storeName ?? builder.newStoreName('KTABLE-MERGE-'))
    : undefined;
  const prefix = kind === 'inner' ? 'JOIN' : kind === 'left' ? 'LEFT' : 'OUTER';
  const mergeName = named?.name ?? builder.newProcessorName('KTABLE-MERGE-');
  const thisName =
    named === undefined ? builder.newProcessorName(`KTABLE-${prefix}THIS-`) : `${named.name}-join-this`;
  const otherName =
    named === undefined ? builder.newProcessorName(`KTABLE-${prefix}OTHER-`) : `${named.name}-join-other`;
  const keySerde = materialized?.keySerde ?? left.keySerde ?? right.keySerde;
  const valueSerde = materialized?.valueSerde;
  if (materialized && storeName !== undefined) {
    const fix = `pass Materialized.with(keySerde, valueSerde) to ${operation}()`;
    builder.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde: keySerde as Serde<unknown> | undefined,
      valueSerde,
      loggingEnabled: materialized.loggingEnabled,
      logConfig: materialized.logConfig,
      cachingEnabled: materialized.cachingEnabled,
      owner: mergeName,
      fix: { key: fix, value: fix },
      global: false,
    });
  }
  const thisNode = builder.addProcessor(
    {
      kind: 'processor',
      name: thisName,
      supplier: () => new KTableKTableJoin(rightTable.storeName, true, kind, joiner) as never,
      stores: [rightTable.storeName],
    },
    [leftTable.node],
  );
  const otherNode = builder.addProcessor(
    {
      kind: 'processor',
      name: otherName,
      supplier: () => new KTableKTableJoin(leftTable.storeName, false, kind, joiner) as never,
      stores: [leftTable.storeName],
    },
    [rightTable.node],
  );
  const merge = builder.addProcessor(
    {
      kind: 'processor',
      name: mergeName,
      supplier: () => new KTableJoinMerger(storeName) as never,
      stores: storeName === undefined ? [] : [storeName],
    },
    [thisNode, otherNode],
  );
  return new KTable(builder, merge, keySerde, valueSerde, storeName);
}
