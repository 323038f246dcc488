import { type Serde, TopologyError } from '@tributary/core';
import { Stores } from '@tributary/state';
import type { KTable } from '../KTable.js';
import type { Suppressed } from '../Suppressed.js';
import type { ProcessorGraphNode } from './GraphNode.js';
import { KTableSuppressProcessor } from './processors/KTableSuppressProcessor.js';
import { suppressBufferValueSerde } from './SuppressBufferValue.js';
import { WindowGrace } from './WindowGrace.js';

/**
 * Adds the suppress processor and its buffer store after `table`, named as Kafka Streams does: the processor
 * `KTABLE-SUPPRESS-<n>` and store `KTABLE-SUPPRESS-STATE-STORE-<n+1>`, or `<name>` and `<name>-store`.
 */
export function addSuppress(table: KTable<unknown, unknown>, suppressed: Suppressed): ProcessorGraphNode {
  const builder = table.builder;
  const untilWindowCloses = suppressed.kind === 'until-window-closes';
  const suppressDurationMs = untilWindowCloses
    ? WindowGrace.find(table.node, 'suppress(Suppressed.untilWindowCloses(...))')
    : suppressed.timeToWaitMs;
  const name = suppressed.name ?? builder.newProcessorName('KTABLE-SUPPRESS-');
  const storeName =
    suppressed.name === undefined ? builder.newStoreName('KTABLE-SUPPRESS-') : `${suppressed.name}-store`;
  const buffer = suppressed.bufferConfig;
  // Resolved when build() makes the buffer store; the processor orders ties by these key bytes.
  let resolvedKeySerde: Serde<unknown> | undefined;
  const fix =
    'give the table serdes (Materialized.with(keySerde, valueSerde) on the aggregation) before suppress()';
  builder.addStore({
    kind: 'dsl',
    name: storeName,
    keySerde: table.keySerde,
    valueSerde: table.valueSerde,
    loggingEnabled: buffer.loggingEnabled,
    logConfig: buffer.logConfig,
    cachingEnabled: false,
    owner: name,
    fix: { key: fix, value: fix },
    global: false,
    // The buffer stays in memory whatever the builder's dslStoreSuppliers, as in Kafka Streams (its suppress
    // buffer is an in-memory time-ordered buffer restored from its changelog), so the suppliers are not used.
    customBuilder: (keySerde: Serde<unknown>, valueSerde: Serde<unknown>) => {
      resolvedKeySerde = keySerde;
      return Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(storeName),
        keySerde,
        suppressBufferValueSerde(valueSerde),
      );
    },
  });
  const changelog = `${storeName}-changelog`;
  return builder.addProcessor(
    {
      kind: 'processor',
      name,
      supplier: () =>
        new KTableSuppressProcessor({
          storeName,
          untilWindowCloses,
          suppressDurationMs,
          maxRecords: buffer.maxRecords,
          whenFull: buffer.whenFull,
          safeToDropTombstones: untilWindowCloses,
          keyBytes: (key: unknown) => {
            const serde = resolvedKeySerde;
            if (serde === undefined)
              throw new TopologyError(`suppress '${name}': build() has not resolved its key serde`);
            return serde.serialize(changelog, key) ?? Buffer.alloc(0);
          },
        }) as never,
      stores: [storeName],
    },
    [table.node],
  );
}
