import { TopologyError } from '@tributary/core';
import type { Subtopology, Topology } from '@tributary/dsl';

/** Where partition counts that cannot be derived come from. */
export interface PartitionCountSource {
  /** Partition count of a user (non-internal) topic. */
  external(topic: string): number;
  /** An explicit count for an internal topic (unprefixed name), taking precedence over everything else. */
  internalOverride?(name: string): number | undefined;
  /** User topics a pattern source reads, so their counts size its sub-topology's tasks. */
  patternTopics?(pattern: RegExp): readonly string[];
  /** Count for an internal topic nothing determines; without it such a topic is a TopologyError. */
  readonly fallback?: number;
}

/**
 * The partition count of every topic a topology reads, writes or owns, by unprefixed name. Internal topics
 * take, in order: an override, their fixed `numberOfPartitions`, the largest count of a co-partitioning group
 * they belong to, and otherwise one partition per task of the sub-topology that owns them (a changelog) or
 * that writes them (a repartition topic); a sub-topology has as many tasks as its largest source topic.
 * Shared by the Kafka runtime (user topics from the broker) and the test driver (from its config).
 */
export function topologyPartitionCounts(
  topology: Topology,
  source: PartitionCountSource,
): Map<string, number> {
  const counts = new Map<string, number>();
  const visiting = new Set<string>();
  const internal = new Set(topology.internalTopics.keys());

  const tasksOf = (subtopology: Subtopology): number | undefined => {
    let max = 0;
    for (const topic of subtopology.sourceTopics) max = Math.max(max, countOf(topic) ?? 0);
    for (const node of subtopology.nodes.values()) {
      if (node.kind !== 'source' || node.pattern === undefined) continue;
      for (const topic of source.patternTopics?.(node.pattern) ?? [])
        max = Math.max(max, countOf(topic) ?? 0);
    }
    return max > 0 ? max : undefined;
  };

  const derive = (name: string): number | undefined => {
    const spec = topology.internalTopics.get(name);
    const kind = spec?.kind ?? 'changelog';
    const fixed = source.internalOverride?.(name) ?? spec?.numberOfPartitions;
    if (fixed !== undefined) return fixed;
    for (const group of topology.copartitionGroups) {
      if (!group.includes(name)) continue;
      const others = group.filter((t) => t !== name).map((t) => countOf(t) ?? 0);
      if (others.some((c) => c > 0)) return Math.max(...others);
    }
    let max = 0;
    for (const subtopology of topology.subtopologies) {
      const related =
        kind === 'changelog'
          ? subtopology.storeNames.some((store) => topology.changelogTopic(store) === name)
          : [...subtopology.nodes.values()].some((n) => n.kind === 'sink' && n.topic === name);
      if (related) max = Math.max(max, tasksOf(subtopology) ?? 0);
    }
    return max > 0 ? max : undefined;
  };

  function countOf(topic: string): number | undefined {
    const known = counts.get(topic);
    if (known !== undefined) return known;
    if (!internal.has(topic)) {
      const count = source.external(topic);
      counts.set(topic, count);
      return count;
    }
    if (visiting.has(topic)) return undefined;
    visiting.add(topic);
    const count = derive(topic) ?? source.fallback;
    visiting.delete(topic);
    if (count === undefined) return undefined;
    if (!Number.isInteger(count) || count < 1) {
      throw new TopologyError(`internal topic '${topic}' must have at least 1 partition (got ${count})`);
    }
    counts.set(topic, count);
    return count;
  }

  for (const subtopology of topology.subtopologies)
    for (const topic of subtopology.sourceTopics) countOf(topic);
  for (const group of topology.copartitionGroups) for (const topic of group) countOf(topic);
  for (const name of internal) {
    if (countOf(name) === undefined) {
      throw new TopologyError(
        `could not derive a partition count for internal topic '${name}'; give it one with Repartitioned.numberOfPartitions`,
      );
    }
  }
  return counts;
}

/**
 * Throws a TopologyError naming every topic and count of a co-partitioning group whose counts differ.
 * `realName` maps an unprefixed name to the name shown; `fix` says what the user should do.
 */
export function checkCopartitioning(
  topology: Topology,
  counts: ReadonlyMap<string, number>,
  realName: (topic: string) => string,
  fix: string,
): void {
  for (const group of topology.copartitionGroups) {
    const sized = group.map((topic) => ({ topic: realName(topic), count: counts.get(topic) }));
    if (new Set(sized.map((s) => s.count)).size > 1) {
      throw new TopologyError(
        `Topics ${sized.map((s) => `'${s.topic}' (${s.count} partitions)`).join(', ')} must be co-partitioned ` +
          `(joined or grouped together) but have different partition counts; ${fix}`,
      );
    }
  }
}
