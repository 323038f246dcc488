import type { Serde } from '@tributary/core';
import type { DslStoreSuppliers, StateStore, StoreBuilder } from '@tributary/state';
import type { KGroupedStream } from '../KGroupedStream.js';
import type { Materialized } from '../Materialized.js';
import type { Named } from '../Named.js';
import type { ProcessorSupplier } from '../processor/Processor.js';
import { childrenNeedOldValues } from './childrenNeedOldValues.js';
import type { ProcessorGraphNode } from './GraphNode.js';
import { addRepartitionNodes } from './RepartitionNodes.js';

/** One aggregation of a grouped stream (plain, time-windowed or session-windowed). */
export interface GroupedAggregateSpec {
  /** Name prefix of the store and processor, e.g. `KSTREAM-AGGREGATE-`. */
  readonly prefix: string;
  /** `count`, `reduce`, `aggregate`: for error messages. */
  readonly operation: string;
  readonly named: Named | undefined;
  readonly materialized: Materialized<unknown, unknown> | undefined;
  /** Value serde of the store when Materialized gives none (Int64 for count). */
  readonly defaultValueSerde: Serde<unknown> | undefined;
  /** Window/session stores from the suppliers that apply; undefined = key-value store. */
  readonly customBuilder?: (
    keySerde: Serde<unknown>,
    valueSerde: Serde<unknown>,
    suppliers: DslStoreSuppliers,
  ) => StoreBuilder<StateStore>;
  /** False forces the store uncached (emit-on-window-close reads the store itself). */
  readonly cachingAllowed: boolean;
  /** `sendOldValues` answers, once the topology is built, whether the aggregation's children need old values. */
  readonly supplier: (
    storeName: string,
    sendOldValues: () => boolean,
  ) => ProcessorSupplier<unknown, unknown, unknown, unknown>;
}

export interface GroupedAggregate {
  readonly node: ProcessorGraphNode;
  readonly storeName: string;
  /** Key and aggregate serdes of the store (undefined = the builder's defaults at build time). */
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
}

/**
 * The shared aggregation path, in Kafka Streams' naming order: store name, then processor name, then (if the key
 * changed upstream) the repartition nodes, named after the Grouped name or else the store.
 */
export function addGroupedAggregate(
  grouped: KGroupedStream<unknown, unknown>,
  spec: GroupedAggregateSpec,
): GroupedAggregate {
  const { builder } = grouped;
  const { materialized, operation } = spec;
  const storeName = materialized?.storeName ?? builder.newStoreName(spec.prefix);
  const name = spec.named?.name ?? builder.newProcessorName(spec.prefix);
  let parent = grouped.node;
  if (grouped.repartitionRequired) {
    const fix = `pass Grouped.with(keySerde, valueSerde) to groupByKey()/groupBy() before ${operation}()`;
    parent = addRepartitionNodes(builder, grouped.node, grouped.groupedName ?? storeName, {
      keySerde: grouped.keySerde,
      valueSerde: grouped.valueSerde,
      numberOfPartitions: undefined,
      partitioner: undefined,
      filterNullKeys: true,
      fix: { key: fix, value: fix },
      userNamed: grouped.groupedName !== undefined,
    });
  }
  const keySerde = materialized?.keySerde ?? grouped.keySerde;
  const valueSerde = materialized?.valueSerde ?? spec.defaultValueSerde;
  builder.addStore({
    kind: 'dsl',
    name: storeName,
    keySerde,
    valueSerde,
    loggingEnabled: materialized?.loggingEnabled ?? true,
    logConfig: materialized?.logConfig ?? {},
    cachingEnabled: spec.cachingAllowed && (materialized?.cachingEnabled ?? true),
    dslStoreSuppliers: materialized?.dslStoreSuppliers,
    owner: name,
    fix: {
      key: `pass Materialized.with(keySerde, valueSerde) to ${operation}() or Grouped.with(keySerde, valueSerde) to groupByKey()/groupBy()`,
      value: `pass Materialized.with(keySerde, valueSerde) to ${operation}()`,
    },
    global: false,
    ...(spec.customBuilder === undefined ? {} : { customBuilder: spec.customBuilder }),
  });
  const node = builder.addProcessor(
    {
      kind: 'processor',
      name,
      supplier: spec.supplier(storeName, () => childrenNeedOldValues(node)),
      stores: [storeName],
    },
    [parent],
  );
  return { node, storeName, keySerde, valueSerde };
}
