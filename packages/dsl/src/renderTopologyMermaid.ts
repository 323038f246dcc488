import type { NodeDescription, TopologyDescription } from './TopologyDescription.js';

/** A Mermaid-safe label: quotes and brackets would end the node text. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

/**
 * The topology as a Mermaid flowchart (left to right): a subgraph per sub-topology and global store, topics as
 * stadium shapes, stores as cylinders, sources/processors/sinks as boxes. Paste it into any Mermaid renderer
 * (GitHub renders ```mermaid blocks).
 */
export function renderTopologyMermaid(description: TopologyDescription): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  const id = (key: string): string => {
    let known = ids.get(key);
    if (known === undefined) {
      known = `n${ids.size}`;
      ids.set(key, known);
    }
    return known;
  };
  const topics = new Set<string>();
  const stores = new Set<string>();
  const edges: string[] = [];
  const part = (title: string, key: string, nodes: readonly NodeDescription[]) => {
    lines.push(`  subgraph ${key}[${label(title)}]`);
    for (const node of nodes) {
      lines.push(`    ${id(`node:${node.name}`)}[${label(node.name)}]`);
      for (const successor of node.successors)
        edges.push(`  ${id(`node:${node.name}`)} --> ${id(`node:${successor}`)}`);
      if (node.kind === 'source') {
        for (const topic of node.pattern !== undefined ? [`/${node.pattern}/`] : node.topics) {
          topics.add(topic);
          edges.push(`  ${id(`topic:${topic}`)} --> ${id(`node:${node.name}`)}`);
        }
      } else if (node.kind === 'sink') {
        const topic = node.topic ?? `(${node.topicNameExtractor ?? 'extractor'})`;
        topics.add(topic);
        edges.push(`  ${id(`node:${node.name}`)} --> ${id(`topic:${topic}`)}`);
      } else {
        for (const store of node.stores) {
          stores.add(store);
          edges.push(`  ${id(`node:${node.name}`)} -.- ${id(`store:${store}`)}`);
        }
      }
    }
    lines.push('  end');
  };
  for (const s of description.subtopologies) part(`Sub-topology ${s.id}`, `sub${s.id}`, s.nodes);
  for (const g of description.globalStores)
    part(`Global store ${g.id}`, `global${g.id}`, [g.source, g.processor]);
  for (const topic of topics) lines.push(`  ${id(`topic:${topic}`)}([${label(topic)}])`);
  for (const store of stores) lines.push(`  ${id(`store:${store}`)}[(${label(store)})]`);
  lines.push(...edges);
  return `${lines.join('\n')}\n`;
}
