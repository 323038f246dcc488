import { type Serde, TopologyError } from '@tributary/core';
import { type DslStoreSuppliers, type StateStore, type StoreBuilder, Stores } from '@tributary/state';
import {
  changelogTopicName,
  type GlobalStore,
  type InternalTopic,
  type Subtopology,
  Topology,
} from '../Topology.js';
import type { ProcessorNode, SinkNode, SourceNode, TopologyNode } from '../TopologyNode.js';
import type { GraphNode, SerdeFix, SourceGraphNode } from './GraphNode.js';
import type { DslStoreSpec, InternalStreamsBuilder } from './InternalStreamsBuilder.js';
import { TimestampedKeyValueStoreBuilder } from './TimestampedKeyValueStoreBuilder.js';
import { valueAndTimestampSerde } from './ValueAndTimestamp.js';

const REPARTITION_TOPIC_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'delete',
});
const CHANGELOG_TOPIC_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
});

/** Union-find over node names: nodes joined by an edge (or a shared store) end up in one sub-topology. */
class NodeGrouper {
  private readonly parent = new Map<string, string>();

  add(name: string): void {
    if (!this.parent.has(name)) this.parent.set(name, name);
  }

  find(name: string): string {
    let root = name;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let at = name;
    while (at !== root) {
      const next = this.parent.get(at)!;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function list(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

function describeSource(node: SourceGraphNode): string {
  return `Source '${node.name}' (${node.pattern ? `pattern: /${node.pattern.source}/` : `topics: ${list(node.topics)}`})`;
}

/**
 * Turns the DSL's logical graph into an immutable Topology: checks stores, topics and serdes, groups nodes
 * into sub-topologies (connected parts; processors sharing a store are joined as in Kafka Streams), numbers
 * them as Kafka Streams does (by sorted source node name), and lists internal topics and co-partition groups.
 */
export function compileTopology(b: InternalStreamsBuilder): Topology {
  const globalNodes = new Set<string>();
  for (const g of b.globalStores) {
    globalNodes.add(g.source.name);
    globalNodes.add(g.processor.name);
  }
  const local = b.nodes.filter((n) => !globalNodes.has(n.name));

  checkStoresExist(b);
  checkSingleSubscription(b.nodes);

  // Group connected nodes.
  const grouper = new NodeGrouper();
  for (const node of local) {
    grouper.add(node.name);
    for (const parent of node.parents) grouper.union(parent.name, node.name);
  }
  joinStoreUsers(local, grouper);

  const groups = new Map<string, GraphNode[]>();
  for (const node of local) {
    const root = grouper.find(node.name);
    const members = getOrCreate(groups, root, () => []);
    members.push(node);
  }
  for (const members of groups.values()) checkNoSelfCycle(members);

  // Number groups (global stores included) by their sources' sorted names, as Kafka Streams' makeNodeGroups.
  const ids = new Map<string, number>();
  let nextId = 0;
  const sourceNames = b.nodes.filter((n) => n.kind === 'source').map((n) => n.name);
  for (const name of [...sourceNames].sort()) {
    const key = globalNodes.has(name) ? `global:${name}` : grouper.find(name);
    if (!ids.has(key)) ids.set(key, nextId++);
  }
  for (const root of [...groups.keys()].sort()) if (!ids.has(root)) ids.set(root, nextId++);

  const resolve = serdeResolver(b);
  const compileNode = (node: GraphNode): TopologyNode => {
    const successors = node.children.map((c) => c.name);
    switch (node.kind) {
      case 'source': {
        const what = describeSource(node);
        const compiled: SourceNode = {
          kind: 'source',
          name: node.name,
          topics: [...node.topics],
          pattern: node.pattern,
          keySerde: resolve(node.keySerde, 'key', what, node.fix),
          valueSerde: resolve(node.valueSerde, 'value', what, node.fix),
          timestampExtractor: node.timestampExtractor,
          successors,
        };
        return compiled;
      }
      case 'processor': {
        const compiled: ProcessorNode = {
          kind: 'processor',
          name: node.name,
          supplier: node.supplier,
          stores: [...node.stores],
          successors,
        };
        return compiled;
      }
      case 'sink': {
        const topic = typeof node.topic === 'string' ? node.topic : `<${node.topic.name || 'extractor'}>`;
        const what = `Sink '${node.name}' (topic: ${topic})`;
        const compiled: SinkNode = {
          kind: 'sink',
          name: node.name,
          topic: node.topic,
          keySerde: resolve(node.keySerde, 'key', what, node.fix),
          valueSerde: resolve(node.valueSerde, 'value', what, node.fix),
          partitioner: node.partitioner,
        };
        return compiled;
      }
    }
  };

  const storeBuilders = new Map<string, StoreBuilder<StateStore>>();
  const buildStore = (name: string): StoreBuilder<StateStore> => {
    const spec = b.stores.get(name)!;
    if (spec.kind === 'user') return spec.builder;
    return dslStoreBuilder(spec, resolve, spec.dslStoreSuppliers ?? b.defaults.dslStoreSuppliers);
  };

  const subtopologies: Subtopology[] = [];
  for (const [root, members] of groups) {
    const nodes = new Map<string, TopologyNode>();
    const sourceTopics: string[] = [];
    const storeNames: string[] = [];
    for (const node of members) {
      nodes.set(node.name, compileNode(node));
      if (node.kind === 'source')
        for (const t of node.topics) if (!sourceTopics.includes(t)) sourceTopics.push(t);
      if (node.kind === 'processor') {
        for (const s of node.stores) {
          if (storeNames.includes(s)) continue;
          storeNames.push(s);
          storeBuilders.set(s, buildStore(s));
        }
      }
    }
    subtopologies.push({ id: ids.get(root)!, nodes, sourceTopics, storeNames });
  }
  subtopologies.sort((x, y) => x.id - y.id);

  const globalStores: GlobalStore[] = b.globalStores.map((g) => ({
    id: ids.get(`global:${g.source.name}`)!,
    storeBuilder: buildStore(g.storeName),
    source: compileNode(g.source) as SourceNode,
    processorName: g.processor.name,
    processorSupplier: g.processor.supplier,
  }));

  const internalTopics = new Map<string, InternalTopic>();
  for (const t of b.repartitionTopics.values()) {
    internalTopics.set(t.name, {
      name: t.name,
      kind: 'repartition',
      numberOfPartitions: t.numberOfPartitions,
      config: REPARTITION_TOPIC_CONFIG,
    });
  }
  const changelogOf = new Map<string, string>();
  for (const sub of subtopologies) {
    for (const store of sub.storeNames) {
      const builder = storeBuilders.get(store)!;
      if (!builder.logConfig.enabled) continue;
      const name = changelogTopicName(store);
      changelogOf.set(store, name);
      internalTopics.set(name, {
        name,
        kind: 'changelog',
        numberOfPartitions: undefined,
        config: { ...CHANGELOG_TOPIC_CONFIG, ...builder.logConfig.topicConfig },
      });
    }
  }

  const copartitionGroups: string[][] = [];
  for (const sub of subtopologies) {
    const group = [...sub.sourceTopics];
    for (const store of sub.storeNames) {
      const changelog = changelogOf.get(store);
      if (changelog !== undefined) group.push(changelog);
    }
    if (group.length < 2) continue;
    checkPartitionCounts(sub, group, internalTopics);
    copartitionGroups.push(group);
  }

  return new Topology({ subtopologies, storeBuilders, globalStores, internalTopics, copartitionGroups });
}

function checkStoresExist(b: InternalStreamsBuilder): void {
  for (const node of b.nodes) {
    if (node.kind !== 'processor') continue;
    for (const store of node.stores) {
      if (b.stores.has(store)) continue;
      const known = [...b.stores.keys()].sort();
      throw new TopologyError(
        `Processor '${node.name}' uses store '${store}', which is not in the topology: add it with ` +
          `builder.addStateStore(storeBuilder) or fix the store name passed to process()/processValues() ` +
          `(known stores: ${known.length === 0 ? 'none' : list(known)})`,
      );
    }
  }
}

function checkSingleSubscription(nodes: readonly GraphNode[]): void {
  const readers = new Map<string, string>();
  const patterns = new Map<string, string>();
  for (const node of nodes) {
    if (node.kind !== 'source') continue;
    if (node.pattern) {
      const key = node.pattern.toString();
      const other = patterns.get(key);
      if (other !== undefined) {
        throw new TopologyError(
          `Source '${node.name}' subscribes to pattern ${key}, which source '${other}' already uses: ` +
            'subscribe once and reuse the stream (branch or merge from it)',
        );
      }
      patterns.set(key, node.name);
    }
    for (const topic of node.topics) {
      const other = readers.get(topic);
      if (other !== undefined) {
        throw new TopologyError(
          `Source '${node.name}' subscribes to topic '${topic}', which source '${other}' already reads: ` +
            `read each topic once and reuse that stream or table (split or merge it instead of calling stream('${topic}') again)`,
        );
      }
      readers.set(topic, node.name);
    }
  }
}

/**
 * Processors that share a store must run in the same task. Kafka Streams joins their sub-topologies; that is
 * only sound when no topic links the two parts (else one task would read what it wrote, through a
 * repartition): then the store is used on both sides of a repartition and that is the user's mistake.
 */
function joinStoreUsers(local: readonly GraphNode[], grouper: NodeGrouper): void {
  const users = new Map<string, GraphNode[]>();
  for (const node of local) {
    if (node.kind !== 'processor') continue;
    for (const store of node.stores) {
      const list = getOrCreate(users, store, () => []);
      list.push(node);
    }
  }
  for (const [store, processors] of users) {
    const first = processors[0]!;
    for (const other of processors.slice(1)) {
      const a = grouper.find(first.name);
      const c = grouper.find(other.name);
      if (a === c) continue;
      if (linkedByTopic(local, grouper, a, c)) {
        const topicsOf = (root: string) =>
          list(
            local
              .filter((n) => n.kind === 'source' && grouper.find(n.name) === root)
              .flatMap((n) => (n.kind === 'source' ? n.topics : [])),
          );
        throw new TopologyError(
          `Store '${store}' is connected to processors in two sub-topologies: '${first.name}' (reading ` +
            `${topicsOf(a)}) and '${other.name}' (reading ${topicsOf(c)}), which a repartition topic separates. ` +
            'A store belongs to one task: give each side its own store, or move both processors to the same ' +
            'side of the repartition',
        );
      }
      grouper.union(a, c);
    }
  }
}

/** Whether group `a` writes a topic group `c` reads, or the other way round (sink topic → source topic). */
function linkedByTopic(local: readonly GraphNode[], grouper: NodeGrouper, a: string, c: string): boolean {
  const readersOf = new Map<string, Set<string>>();
  for (const node of local) {
    if (node.kind !== 'source') continue;
    for (const t of node.topics) {
      const set = getOrCreate(readersOf, t, () => new Set());
      set.add(grouper.find(node.name));
    }
  }
  const next = new Map<string, Set<string>>();
  for (const node of local) {
    if (node.kind !== 'sink' || typeof node.topic !== 'string') continue;
    const from = grouper.find(node.name);
    const set = getOrCreate(next, from, () => new Set());
    for (const r of readersOf.get(node.topic) ?? []) set.add(r);
  }
  // Only a direct link counts: merging the two parts would make one task read the topic it writes. A path
  // through a third sub-topology (a foreign-key join: subscription out, response back) is a legal cycle.
  return next.get(a)?.has(c) === true || next.get(c)?.has(a) === true;
}

function checkNoSelfCycle(members: readonly GraphNode[]): void {
  const readers = new Map<string, string>();
  for (const node of members)
    if (node.kind === 'source') for (const t of node.topics) readers.set(t, node.name);
  for (const node of members) {
    if (node.kind !== 'sink' || typeof node.topic !== 'string') continue;
    const reader = readers.get(node.topic);
    if (reader !== undefined) {
      throw new TopologyError(
        `Sink '${node.name}' writes topic '${node.topic}', which source '${reader}' of the same sub-topology ` +
          'reads: a cycle through the same topic. Write to another topic, or use repartition() to pass ' +
          'records on by key',
      );
    }
  }
}

function checkPartitionCounts(
  sub: Subtopology,
  group: readonly string[],
  internalTopics: ReadonlyMap<string, InternalTopic>,
): void {
  const counts = group
    .map((t) => [t, internalTopics.get(t)?.numberOfPartitions] as const)
    .filter((e): e is readonly [string, number] => e[1] !== undefined);
  if (new Set(counts.map((e) => e[1])).size <= 1) return;
  throw new TopologyError(
    `Co-partitioned topics ${list(group)} (read by sub-topology ${sub.id}) have different explicit partition ` +
      `counts: ${counts.map(([t, n]) => `${t}=${n}`).join(', ')}. Give them the same ` +
      'Repartitioned.numberOfPartitions(...), or leave the count out so it follows the group',
  );
}

type Resolve = (
  serde: Serde<unknown> | undefined,
  which: 'key' | 'value',
  what: string,
  fix: SerdeFix,
) => Serde<unknown>;

function serdeResolver(b: InternalStreamsBuilder): Resolve {
  return (serde, which, what, fix) => {
    if (serde) return serde;
    const fallback = which === 'key' ? b.defaults.defaultKeySerde : b.defaults.defaultValueSerde;
    if (fallback) return fallback;
    const option = which === 'key' ? 'defaultKeySerde' : 'defaultValueSerde';
    throw new TopologyError(
      `${what} has no ${which} serde and the StreamsBuilder has no ${option}: ${fix[which]}, ` +
        `or pass ${option} to new StreamsBuilder({ ${option} })`,
    );
  };
}

function dslStoreBuilder(
  spec: DslStoreSpec,
  resolve: Resolve,
  suppliers: DslStoreSuppliers,
): StoreBuilder<StateStore> {
  const what = `Store '${spec.name}' of processor '${spec.owner}'`;
  const keySerde = resolve(spec.keySerde, 'key', what, spec.fix);
  const valueSerde = resolve(spec.valueSerde, 'value', what, spec.fix);
  if (spec.customBuilder !== undefined) {
    const custom = spec.customBuilder(keySerde, valueSerde, suppliers);
    const logged = spec.loggingEnabled
      ? custom.withLoggingEnabled(spec.logConfig)
      : custom.withLoggingDisabled();
    return spec.cachingEnabled ? logged.withCachingEnabled() : logged.withCachingDisabled();
  }
  // DSL key-value stores keep each value with its timestamp, as Kafka Streams' timestamped stores.
  const base = new TimestampedKeyValueStoreBuilder(
    Stores.keyValueStoreBuilder(
      suppliers.keyValueStore({ name: spec.name }),
      keySerde,
      valueAndTimestampSerde(valueSerde),
    ),
  );
  const logged = spec.loggingEnabled ? base.withLoggingEnabled(spec.logConfig) : base.withLoggingDisabled();
  return spec.cachingEnabled ? logged.withCachingEnabled() : logged.withCachingDisabled();
}
