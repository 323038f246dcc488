import type { Topology } from '@tributary/dsl';

/**
 * The real names of the topics a topology writes: its sinks' topics and its logged stores' changelogs;
 * `dynamic` when a sink chooses its topic per record (then it may write anywhere).
 */
export function writtenTopics(
  topology: Topology,
  applicationId: string,
): { topics: Set<string>; dynamic: boolean } {
  const topics = new Set<string>();
  let dynamic = false;
  for (const subtopology of topology.subtopologies) {
    for (const node of subtopology.nodes.values()) {
      if (node.kind !== 'sink') continue;
      if (typeof node.topic === 'string') topics.add(topology.resolveTopic(applicationId, node.topic));
      else dynamic = true;
    }
  }
  for (const store of topology.storeBuilders.keys()) {
    const changelog = topology.changelogTopic(store);
    if (changelog !== undefined) topics.add(topology.resolveTopic(applicationId, changelog));
  }
  return { topics, dynamic };
}
