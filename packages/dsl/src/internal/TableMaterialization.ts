import type { KTable } from '../KTable.js';
import type { GraphNode } from './GraphNode.js';
import { KTableMapper } from './processors/KTableMapper.js';

/** A table's store and the node after which that store holds the table's current values. */
export interface MaterializedTable {
  readonly node: GraphNode;
  readonly storeName: string;
}

/**
 * The store a join looks the table up in. A table that is not materialized (a filter or mapValues without
 * Materialized) gets one: a `KTABLE-MATERIALIZE-` node writing each change to a new key-value store.
 */
export function materializeForJoin<K, V>(table: KTable<K, V>, operation: string): MaterializedTable {
  if (table.queryableStoreName !== undefined)
    return { node: table.node, storeName: table.queryableStoreName };
  const builder = table.builder;
  const storeName = builder.newStoreName('KTABLE-MATERIALIZE-');
  const name = builder.newProcessorName('KTABLE-MATERIALIZE-');
  const fix = `pass Materialized.with(keySerde, valueSerde) to the table's filter()/mapValues() before ${operation}()`;
  builder.addStore({
    kind: 'dsl',
    name: storeName,
    keySerde: table.keySerde,
    valueSerde: table.valueSerde,
    loggingEnabled: true,
    logConfig: {},
    cachingEnabled: false,
    owner: name,
    fix: { key: fix, value: fix },
    global: false,
  });
  const node = builder.addProcessor(
    {
      kind: 'processor',
      name,
      supplier: () => new KTableMapper<K, V, V>((_key, value) => value, storeName, false, true) as never,
      stores: [storeName],
    },
    [table.node],
  );
  return { node, storeName };
}
