import { TopologyError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { type AdminClient, KafkaClientError } from '@tributary/kafka';
import { checkCopartitioning, topologyPartitionCounts } from '@tributary/runtime';

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
 * Before the first poll: checks that every topic the topology reads or writes exists, derives the partition
 * counts of the internal topics (`topologyPartitionCounts`, shared with the test driver), checks
 * co-partitioning, and creates the internal topics that are missing.
 */
export async function prepareTopics(
  topology: Topology,
  applicationId: string,
  admin: AdminClient,
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
  const brokerCounts = new Map<string, number>();
  for (const description of external.size > 0 ? await admin.describeTopics([...external]) : []) {
    brokerCounts.set(description.name, description.partitions.length);
  }
  const counts = topologyPartitionCounts(topology, { external: (topic) => brokerCounts.get(topic)! });
  checkCopartitioning(
    topology,
    counts,
    (topic) => topology.resolveTopic(applicationId, topic),
    'repartition one side with repartition(Repartitioned.numberOfPartitions(n)) or recreate the topics',
  );
  for (const [topic, count] of brokerCounts) counts.set(topic, count);

  // Topology.internalTopics includes every logged store's changelog, declared by a hand-built topology or not.
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
