import type { Serde } from '@tributary/core';
import { Stores } from '@tributary/state';
import type { GlobalKTable } from '../GlobalKTable.js';
import type { Joined } from '../Joined.js';
import type { JoinWindows } from '../JoinWindows.js';
import { KStream } from '../KStream.js';
import type { KTable } from '../KTable.js';
import type { Named } from '../Named.js';
import type { StreamJoined } from '../StreamJoined.js';
import type { GraphNode } from './GraphNode.js';
import { JoinTimeTrackers } from './JoinTimeTracker.js';
import { leftOrRightValueListSerde, timestampedKeyAndJoinSideSerde } from './OuterJoinStoreSerdes.js';
import { KStreamJoinWindow } from './processors/KStreamJoinWindow.js';
import { type JoinSideBounds, KStreamKStreamJoin } from './processors/KStreamKStreamJoin.js';
import { KStreamKTableJoin } from './processors/KStreamKTableJoin.js';
import { PassThrough } from './processors/PassThrough.js';
import { addRepartitionNodes } from './RepartitionNodes.js';
import { materializeForJoin } from './TableMaterialization.js';

type AnyJoiner = (left: unknown, right: unknown, key: unknown) => unknown;

/** `[null-key filter →] sink → <prefix>-repartition → source` before a join, when the stream's key was changed. */
function repartitionForJoin(
  stream: KStream<unknown, unknown>,
  prefix: string,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
  userNamed: boolean,
  fix: string,
): GraphNode {
  return addRepartitionNodes(stream.builder, stream.node, prefix, {
    keySerde,
    valueSerde,
    numberOfPartitions: undefined,
    partitioner: undefined,
    filterNullKeys: true,
    fix: { key: fix, value: fix },
    userNamed,
  });
}

/**
 * KStream-KTable join / leftJoin: repartitions the stream first if its key was changed (topic
 * `<Joined name or stream node name>-repartition`), then a `KSTREAM-JOIN-` / `KSTREAM-LEFTJOIN-` node looks each
 * record up in the table's store (materializing the table if needed). Both inputs end up in one sub-topology,
 * so their topics are co-partitioned.
 */
export function streamTableJoin(
  stream: KStream<unknown, unknown>,
  table: KTable<unknown, unknown>,
  joiner: AnyJoiner,
  joined: Joined<unknown, unknown, unknown> | undefined,
  leftJoin: boolean,
): KStream<unknown, unknown> {
  const builder = stream.builder;
  if (table.builder !== builder)
    throw new TypeError('join(): the stream and the table must come from the same StreamsBuilder');
  const operation = leftJoin ? 'leftJoin' : 'join';
  const keySerde = joined?.keySerde ?? stream.keySerde ?? table.keySerde;
  let parent = stream.node;
  if (stream.repartitionRequired) {
    parent = repartitionForJoin(
      stream,
      joined?.name ?? stream.node.name,
      keySerde,
      joined?.valueSerde ?? stream.valueSerde,
      joined?.name !== undefined,
      `pass Joined.with(keySerde, valueSerde, tableValueSerde) to ${operation}()`,
    );
  }
  const { storeName } = materializeForJoin(table, operation);
  const name = joined?.name ?? builder.newProcessorName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const node = builder.addProcessor(
    {
      kind: 'processor',
      name,
      supplier: () => new KStreamKTableJoin(storeName, undefined, joiner, leftJoin) as never,
      stores: [storeName],
    },
    [parent],
  );
  return new KStream(builder, node, keySerde, undefined, false);
}

/**
 * KStream-GlobalKTable join / leftJoin: a `KSTREAM-JOIN-` / `KSTREAM-LEFTJOIN-` node looks each record up in the
 * global store under `keySelector(key, value)`. No repartition and no co-partitioning: every task sees the whole
 * global table, which is loaded before any task processes a record.
 */
export function streamGlobalTableJoin(
  stream: KStream<unknown, unknown>,
  table: GlobalKTable<unknown, unknown>,
  keySelector: (key: unknown, value: unknown) => unknown,
  joiner: AnyJoiner,
  named: Named | undefined,
  leftJoin: boolean,
): KStream<unknown, unknown> {
  const builder = stream.builder;
  const storeName = table.queryableStoreName;
  const name = named?.name ?? builder.newProcessorName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const node = builder.addProcessor(
    {
      kind: 'processor',
      name,
      supplier: () => new KStreamKTableJoin(storeName, keySelector, joiner, leftJoin) as never,
      stores: [],
    },
    [stream.node],
  );
  return new KStream(builder, node, stream.keySerde, undefined, stream.repartitionRequired);
}

/**
 * KStream-KStream join / leftJoin / outerJoin, laid out as in Kafka Streams:
 *
 * ```
 * left  → KSTREAM-WINDOWED (this store) → KSTREAM-JOINTHIS|OUTERTHIS (other store [, outer store]) ┐
 * right → KSTREAM-WINDOWED (other store) → KSTREAM-JOINOTHER|OUTEROTHER (this store [, outer store]) ┴→ KSTREAM-MERGE
 * ```
 *
 * Both window stores retain duplicates and keep `size + grace`; left and outer joins share a key-value
 * "outer" store of unmatched records. A side whose key was changed is repartitioned first
 * (`<name>-left-repartition` / `<name>-right-repartition`, or named after the stream's node).
 */
export function streamStreamJoin(
  left: KStream<unknown, unknown>,
  right: KStream<unknown, unknown>,
  joiner: AnyJoiner,
  windows: JoinWindows,
  streamJoined: StreamJoined<unknown, unknown, unknown> | undefined,
  leftOuter: boolean,
  rightOuter: boolean,
): KStream<unknown, unknown> {
  const builder = left.builder;
  if (right.builder !== builder)
    throw new TypeError('join(): both streams must come from the same StreamsBuilder');
  const operation = rightOuter ? 'outerJoin' : leftOuter ? 'leftJoin' : 'join';
  const named = streamJoined?.name;
  const keySerde = streamJoined?.keySerde ?? left.keySerde ?? right.keySerde;
  const leftValueSerde = streamJoined?.valueSerde ?? left.valueSerde;
  const rightValueSerde = streamJoined?.otherValueSerde ?? right.valueSerde;
  const fix = `pass StreamJoined.with(keySerde, valueSerde, otherValueSerde) to ${operation}()`;

  let leftNode = left.node;
  if (left.repartitionRequired) {
    const prefix = named === undefined ? left.node.name : `${named}-left`;
    leftNode = repartitionForJoin(left, prefix, keySerde, leftValueSerde, named !== undefined, fix);
  }
  let rightNode = right.node;
  if (right.repartitionRequired) {
    const prefix = named === undefined ? right.node.name : `${named}-right`;
    rightNode = repartitionForJoin(right, prefix, keySerde, rightValueSerde, named !== undefined, fix);
  }

  const thisWindowedName =
    named === undefined ? builder.newProcessorName('KSTREAM-WINDOWED-') : `${named}-this-windowed`;
  const otherWindowedName =
    named === undefined ? builder.newProcessorName('KSTREAM-WINDOWED-') : `${named}-other-windowed`;
  const thisGenerated = builder.newProcessorName(rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-');
  const otherGenerated = builder.newProcessorName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const thisJoinName = named === undefined ? thisGenerated : `${named}-this-join`;
  const otherJoinName = named === undefined ? otherGenerated : `${named}-other-join`;
  const mergeName = named === undefined ? builder.newProcessorName('KSTREAM-MERGE-') : `${named}-merge`;

  const storeBase = streamJoined?.storeName;
  const thisStoreName = storeBase === undefined ? `${thisJoinName}-store` : `${storeBase}-this-join-store`;
  const otherStoreName = storeBase === undefined ? `${otherJoinName}-store` : `${storeBase}-other-join-store`;
  const outerSuffix = rightOuter ? '-outer-shared-join-store' : '-left-shared-join-store';
  const outerStoreName = !leftOuter
    ? undefined
    : storeBase !== undefined
      ? `${storeBase}${outerSuffix}`
      : named !== undefined
        ? `${named}${outerSuffix}`
        : `${thisGenerated.replace(/JOINTHIS|OUTERTHIS/, rightOuter ? 'OUTERSHARED' : 'LEFTSHARED')}-store`;

  const loggingEnabled = streamJoined?.loggingEnabled ?? true;
  const dslStoreSuppliers = streamJoined?.dslStoreSuppliers;
  const logConfig = streamJoined?.logConfig ?? {};
  const size = windows.size();
  const retention = size + windows.graceMs;
  const addWindowStore = (storeName: string, valueSerde: Serde<unknown> | undefined, owner: string) =>
    builder.addStore({
      kind: 'dsl',
      name: storeName,
      keySerde,
      valueSerde,
      loggingEnabled,
      logConfig,
      cachingEnabled: false,
      dslStoreSuppliers,
      owner,
      fix: { key: fix, value: fix },
      global: false,
      customBuilder: (k, v, suppliers) =>
        Stores.windowStoreBuilder(
          suppliers.windowStore({
            name: storeName,
            retentionMs: retention,
            windowSizeMs: size,
            retainDuplicates: true,
            graceMs: 0,
          }),
          k,
          v,
        ),
    });
  addWindowStore(thisStoreName, leftValueSerde, thisWindowedName);
  addWindowStore(otherStoreName, rightValueSerde, otherWindowedName);
  if (outerStoreName !== undefined) {
    // The outer store's serdes wrap the join's; resolve the builder defaults now (a missing one fails at build).
    const k = keySerde ?? builder.defaults.defaultKeySerde;
    const l = leftValueSerde ?? builder.defaults.defaultValueSerde;
    const r = rightValueSerde ?? builder.defaults.defaultValueSerde;
    builder.addStore({
      kind: 'dsl',
      name: outerStoreName,
      keySerde: k === undefined ? undefined : timestampedKeyAndJoinSideSerde(k),
      valueSerde: l === undefined || r === undefined ? undefined : leftOrRightValueListSerde(l, r),
      loggingEnabled,
      logConfig,
      cachingEnabled: false,
      dslStoreSuppliers,
      owner: thisJoinName,
      fix: { key: fix, value: fix },
      global: false,
    });
  }

  const thisBounds: JoinSideBounds = {
    joinBeforeMs: windows.beforeMs,
    joinAfterMs: windows.afterMs,
    windowsBeforeMs: windows.beforeMs,
    windowsAfterMs: windows.afterMs,
    graceMs: windows.graceMs,
  };
  const otherBounds: JoinSideBounds = {
    ...thisBounds,
    joinBeforeMs: windows.afterMs,
    joinAfterMs: windows.beforeMs,
  };
  const trackers = new JoinTimeTrackers(builder.defaults.outerJoinEmitIntervalMs);
  const outerStores = outerStoreName === undefined ? [] : [outerStoreName];

  const thisWindowed = builder.addProcessor(
    {
      kind: 'processor',
      name: thisWindowedName,
      supplier: () => new KStreamJoinWindow(thisStoreName) as never,
      stores: [thisStoreName],
    },
    [leftNode],
  );
  const otherWindowed = builder.addProcessor(
    {
      kind: 'processor',
      name: otherWindowedName,
      supplier: () => new KStreamJoinWindow(otherStoreName) as never,
      stores: [otherStoreName],
    },
    [rightNode],
  );
  const thisJoin = builder.addProcessor(
    {
      kind: 'processor',
      name: thisJoinName,
      supplier: () =>
        new KStreamKStreamJoin(
          otherStoreName,
          outerStoreName,
          true,
          leftOuter,
          thisBounds,
          joiner,
          trackers,
        ) as never,
      stores: [otherStoreName, ...outerStores],
    },
    [thisWindowed],
  );
  const otherJoin = builder.addProcessor(
    {
      kind: 'processor',
      name: otherJoinName,
      supplier: () =>
        new KStreamKStreamJoin(
          thisStoreName,
          outerStoreName,
          false,
          rightOuter,
          otherBounds,
          joiner,
          trackers,
        ) as never,
      stores: [thisStoreName, ...outerStores],
    },
    [otherWindowed],
  );
  const merge = builder.addProcessor(
    { kind: 'processor', name: mergeName, supplier: () => new PassThrough() as never, stores: [] },
    [thisJoin, otherJoin],
  );
  return new KStream(builder, merge, keySerde, undefined, false);
}
