import { TopologyError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { type KafkaAdmin, KafkaClientError } from '@tributary/kafka';

/** The partition count of every topic the topology reads or writes, internal ones under their real names. */
export type PartitionCounts = ReadonlyMap<string, number>;

/** Topics the sinks of one sub-topology write to (unprefixed names; topic extractors excluded). */
function sinkTopics(topology: Topology, subtopologyId: number): string[] {
  const subtopology = topology.subtopologies.find((s) => s.id === subtopologyId)!;
  const topics: string[] = [];
  for (const node of subtopology.nodes.values()) {
    if (node.kind === 'sink' && typeof node.topic === 'string') topics.push(node.topic);
  }
  return topics;
}

/**
 * Before the first poll: checks that every source topic exists, derives the partition count of each internal
 * topic (a repartition topic takes the largest count of the sub-topology writing it, or of its co-partitioning
 * group; a changelog takes its sub-topology's count), checks co-partitioning, and creates what is missing.
 */
export async function prepareTopics(
  topology: Topology,
  applicationId: string,
  admin: KafkaAdmin,
  replicationFactor: number,
): Promise<PartitionCounts> {
  const internal = topology.internalTopics;
  const external = new Set<string>();
  for (const s of topology.subtopologies)
    for (const t of s.sourceTopics) if (!internal.has(t)) external.add(t);
  for (const g of topology.globalStores) for (const t of g.source.topics) external.add(t);
  for (const s of topology.subtopologies)
    for (const t of sinkTopics(topology, s.id)) if (!internal.has(t)) external.add(t);

  const existing = new Set(await admin.listTopics());
  const missing = [...external].filter((t) => !existing.has(t)).sort();
  if (missing.length > 0) {
    throw new TopologyError(
      `topic(s) ${missing.map((t) => `'${t}'`).join(', ')} read or written by the topology do not exist; create them before starting ` +
        `'${applicationId}' (Kafka Streams never creates user topics)`,
    );
  }
  const counts = new Map<string, number>();
  for (const description of external.size > 0 ? await admin.describeTopics([...external]) : []) {
    counts.set(description.name, description.partitions.length);
  }
  for (const [name, spec] of internal)
    if (spec.numberOfPartitions !== undefined) counts.set(name, spec.numberOfPartitions);

  // Repartition topics: resolve until nothing changes (a chain of repartitions resolves one link per pass).
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of topology.copartitionGroups) {
      const known = group.filter((t) => counts.has(t)).map((t) => counts.get(t)!);
      if (known.length === 0) continue;
      for (const t of group) {
        if (!counts.has(t) && internal.get(t)?.kind === 'repartition') {
          counts.set(t, Math.max(...known));
          changed = true;
        }
      }
    }
    for (const [name, spec] of internal) {
      if (spec.kind !== 'repartition' || counts.has(name)) continue;
      const writers = topology.subtopologies.filter((s) => sinkTopics(topology, s.id).includes(name));
      const inputs = writers.flatMap((s) => s.sourceTopics);
      if (inputs.length > 0 && inputs.every((t) => counts.has(t))) {
        counts.set(name, Math.max(...inputs.map((t) => counts.get(t)!)));
        changed = true;
      }
    }
  }
  for (const [name, spec] of internal) {
    if (spec.kind !== 'changelog' || counts.has(name)) continue;
    const store = name.slice(0, -'-changelog'.length);
    const owner = topology.subtopologies.find((s) => s.storeNames.includes(store));
    const inputs = owner?.sourceTopics.filter((t) => counts.has(t)) ?? [];
    if (inputs.length > 0) counts.set(name, Math.max(...inputs.map((t) => counts.get(t)!)));
  }
  const unresolved = [...internal.keys()].filter((t) => !counts.has(t));
  if (unresolved.length > 0) {
    throw new TopologyError(
      `could not derive partition counts for internal topic(s) ${unresolved.join(', ')}; give them one with Repartitioned.numberOfPartitions`,
    );
  }

  for (const group of topology.copartitionGroups) {
    const distinct = new Set(group.map((t) => counts.get(t)));
    if (distinct.size > 1) {
      throw new TopologyError(
        `topics ${group.map((t) => `'${topology.resolveTopic(applicationId, t)}' (${counts.get(t)} partitions)`).join(', ')} ` +
          'must be co-partitioned (joined or read by the same tasks) but have different partition counts; ' +
          'repartition one side with repartition(Repartitioned.numberOfPartitions(n)) or recreate the topics',
      );
    }
  }

  const toCreate = [];
  for (const [name, spec] of internal) {
    const real = `${applicationId}-${name}`;
    const partitions = counts.get(name)!;
    if (existing.has(real)) {
      const [description] = await admin.describeTopics([real]);
      if (description!.partitions.length !== partitions) {
        throw new TopologyError(
          `internal topic '${real}' has ${description!.partitions.length} partitions but the topology needs ${partitions}; ` +
            `reset the application (delete the internal topics of '${applicationId}') and start again`,
        );
      }
      continue;
    }
    const config: Record<string, string> =
      spec.kind === 'changelog'
        ? { 'cleanup.policy': 'compact', ...spec.config }
        : { 'cleanup.policy': 'delete', ...spec.config };
    toCreate.push({ name: real, partitions, replicationFactor, config });
  }
  try {
    await admin.createTopics(toCreate);
  } catch (error) {
    throw KafkaClientError.wrap(`creating internal topics of '${applicationId}'`, error);
  }

  const resolved = new Map<string, number>();
  for (const [topic, count] of counts) resolved.set(topology.resolveTopic(applicationId, topic), count);
  return resolved;
}
