import { type Serde, Serdes, TopologyError } from '@tributary/core';
import { KTable } from '../KTable.js';
import type { Materialized } from '../Materialized.js';
import { Named } from '../Named.js';
import { childrenNeedOldValues } from './childrenNeedOldValues.js';
import { subscriptionResponseWrapperSerde, subscriptionWrapperSerde } from './ForeignKeyJoinWrappers.js';
import type { ProcessorGraphNode } from './GraphNode.js';
import { ForeignTableJoin } from './processors/ForeignTableJoin.js';
import { KTableJoinMerger } from './processors/KTableJoinMerger.js';
import { KTableKTableJoin, type TableJoinKind } from './processors/KTableKTableJoin.js';
import { KTableSource } from './processors/KTableSource.js';
import { ResponseJoin } from './processors/ResponseJoin.js';
import { SubscriptionReceive } from './processors/SubscriptionReceive.js';
import { SubscriptionSend } from './processors/SubscriptionSend.js';
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
      dslStoreSuppliers: materialized.dslStoreSuppliers,
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

/**
 * KTable-KTable foreign-key join / leftJoin, laid out as in Kafka Streams:
 *
 * ```
 * left table → subscription send → <name>-subscription-registration-topic (by foreign key)
 *   → subscription receive (subscription store, right store) → <name>-subscription-response-topic (by left key)
 * right table → foreign table join (subscription store) → <name>-subscription-response-topic
 * response topic → response join (left store, stale-hash check) → result table
 * ```
 *
 * The right side and the subscription topic are co-partitioned, as are the left side and the response topic.
 * The result table is always materialized (a generated store name unless `Materialized` names one).
 */
export function foreignKeyJoin(
  left: KTable<unknown, unknown>,
  right: KTable<unknown, unknown>,
  foreignKeyExtractor: (value: unknown, key: unknown) => unknown,
  joiner: AnyJoiner,
  named: Named | undefined,
  materialized: Materialized<unknown, unknown> | undefined,
  leftJoin: boolean,
): KTable<unknown, unknown> {
  const builder = left.builder;
  if (right.builder !== builder)
    throw new TypeError('join(): both tables must come from the same StreamsBuilder');
  const operation = leftJoin ? 'leftJoin' : 'join';
  const defaults = builder.defaults;
  const primaryKeySerde = (left.keySerde ?? defaults.defaultKeySerde) as Serde<unknown> | undefined;
  const leftValueSerde = (left.valueSerde ?? defaults.defaultValueSerde) as Serde<unknown> | undefined;
  const foreignKeySerde = (right.keySerde ?? defaults.defaultKeySerde) as Serde<unknown> | undefined;
  const rightValueSerde = (right.valueSerde ?? defaults.defaultValueSerde) as Serde<unknown> | undefined;
  const fix = `give both tables key and value serdes (Consumed/Materialized) before ${operation}()`;

  const leftTable = materializeForJoin(left, operation);
  const rightTable = materializeForJoin(right, operation);
  const n = named?.name;
  const gen = (prefix: string, suffix: string) =>
    n === undefined ? builder.newProcessorName(prefix) : `${n}${suffix}`;
  const registration = gen('KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-', '-subscription-registration');
  const subscriptionTopic = `${registration}-topic`;
  const subscriptionStore =
    n === undefined ? builder.newStoreName('KTABLE-FK-JOIN-SUBSCRIPTION-') : `${n}-subscription-store`;
  const response = gen('KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-', '-subscription-response');
  const responseTopic = `${response}-topic`;
  builder.addRepartitionTopic({ name: subscriptionTopic, numberOfPartitions: undefined });
  builder.addRepartitionTopic({ name: responseTopic, numberOfPartitions: undefined });

  const subscriptionSerde =
    primaryKeySerde === undefined ? undefined : subscriptionWrapperSerde(primaryKeySerde);
  const responseSerde =
    rightValueSerde === undefined ? undefined : subscriptionResponseWrapperSerde(rightValueSerde);

  // Left side: subscribe.
  const send = builder.addProcessor(
    {
      kind: 'processor',
      name:
        n === undefined
          ? registration.replace('REGISTRATION-', 'REGISTRATION-SEND-')
          : `${n}-subscription-send`,
      supplier: () =>
        new SubscriptionSend(
          foreignKeyExtractor,
          foreignKeySerde!,
          leftValueSerde!,
          leftJoin,
          subscriptionTopic,
        ) as never,
      stores: [],
    },
    [leftTable.node],
  );
  builder.addSink(
    {
      kind: 'sink',
      name: gen('KTABLE-SINK-', '-subscription-registration-sink'),
      topic: subscriptionTopic,
      keySerde: foreignKeySerde,
      valueSerde: subscriptionSerde,
      partitioner: undefined,
      fix: { key: fix, value: fix },
    },
    [send],
  );

  // Right side: keep subscriptions, answer them, and answer them again when the right table changes.
  builder.addStore({
    kind: 'dsl',
    name: subscriptionStore,
    keySerde: Serdes.Bytes() as Serde<unknown>,
    valueSerde: subscriptionSerde,
    loggingEnabled: true,
    logConfig: {},
    cachingEnabled: false,
    owner: registration,
    fix: { key: fix, value: fix },
    global: false,
  });
  const subscriptionSource = builder.addSource({
    kind: 'source',
    name: gen('KSTREAM-SOURCE-', '-subscription-registration-source'),
    topics: [subscriptionTopic],
    pattern: undefined,
    keySerde: foreignKeySerde,
    valueSerde: subscriptionSerde,
    timestampExtractor: undefined,
    fix: { key: fix, value: fix },
    global: false,
  });
  const receive = builder.addProcessor(
    {
      kind: 'processor',
      name: gen('KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-', '-subscription-processor'),
      supplier: () =>
        new SubscriptionReceive(
          subscriptionStore,
          rightTable.storeName,
          foreignKeySerde!,
          primaryKeySerde!,
          subscriptionTopic,
        ) as never,
      stores: [subscriptionStore, rightTable.storeName],
    },
    [subscriptionSource],
  );
  const foreign = builder.addProcessor(
    {
      kind: 'processor',
      name: gen('KTABLE-FK-JOIN-FOREIGN-PROCESSOR-', '-foreign-join-processor'),
      supplier: () => new ForeignTableJoin(subscriptionStore, foreignKeySerde!, subscriptionTopic) as never,
      stores: [subscriptionStore],
    },
    [rightTable.node],
  );
  for (const [parent, suffix] of [
    [receive, '-subscription-response-sink'],
    [foreign, '-foreign-response-sink'],
  ] as const) {
    builder.addSink(
      {
        kind: 'sink',
        name: gen('KTABLE-SINK-', suffix),
        topic: responseTopic,
        keySerde: primaryKeySerde,
        valueSerde: responseSerde,
        partitioner: undefined,
        fix: { key: fix, value: fix },
      },
      [parent],
    );
  }

  // Back on the left side: resolve responses into the result table.
  const responseSource = builder.addSource({
    kind: 'source',
    name: gen('KSTREAM-SOURCE-', '-subscription-response-source'),
    topics: [responseTopic],
    pattern: undefined,
    keySerde: primaryKeySerde,
    valueSerde: responseSerde,
    timestampExtractor: undefined,
    fix: { key: fix, value: fix },
    global: false,
  });
  const resolver = builder.addProcessor(
    {
      kind: 'processor',
      name: gen(
        'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-',
        '-subscription-response-resolver',
      ),
      supplier: () =>
        new ResponseJoin(leftTable.storeName, leftValueSerde!, joiner, leftJoin, responseTopic) as never,
      stores: [leftTable.storeName],
    },
    [responseSource],
  );
  const resultStore = materialized?.storeName ?? builder.newStoreName('KTABLE-FK-JOIN-OUTPUT-');
  const outputName = gen('KTABLE-FK-JOIN-OUTPUT-', '-result');
  const keySerde = materialized?.keySerde ?? left.keySerde;
  const valueSerde = materialized?.valueSerde;
  const storeFix = `pass Materialized.with(keySerde, valueSerde) to ${operation}()`;
  if (materialized === undefined && defaults.defaultValueSerde === undefined) {
    // As Kafka: without Materialized the result table needs no value serde and has no store. Its changes carry
    // no old values, so an operation below that needs them cannot follow (said when a task starts).
    const unmaterialized: ProcessorGraphNode = builder.addProcessor(
      {
        kind: 'processor',
        name: outputName,
        supplier: () => {
          if (childrenNeedOldValues(unmaterialized)) {
            throw new TopologyError(
              `The result of foreign-key ${operation}() '${outputName}' has no store, but an operation after it ` +
                `needs its previous values: ${storeFix}`,
            );
          }
          return new KTableSource(undefined) as never;
        },
        stores: [],
      },
      [resolver],
    );
    return new KTable(builder, unmaterialized, keySerde, undefined, undefined);
  }
  builder.addStore({
    kind: 'dsl',
    name: resultStore,
    keySerde: keySerde as Serde<unknown> | undefined,
    valueSerde,
    loggingEnabled: materialized?.loggingEnabled ?? true,
    logConfig: materialized?.logConfig ?? {},
    cachingEnabled: materialized?.cachingEnabled ?? true,
    dslStoreSuppliers: materialized?.dslStoreSuppliers,
    owner: outputName,
    fix: { key: storeFix, value: storeFix },
    global: false,
  });
  const output = builder.addProcessor(
    {
      kind: 'processor',
      name: outputName,
      supplier: () => new KTableSource(resultStore) as never,
      stores: [resultStore],
    },
    [resolver],
  );
  return new KTable(builder, output, keySerde, valueSerde, resultStore);
}
