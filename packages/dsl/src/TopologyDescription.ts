/** A source as `describe()` shows it. */
export interface SourceDescription {
  readonly kind: 'source';
  readonly name: string;
  /** Subscribed topics (empty for a pattern source). */
  readonly topics: readonly string[];
  /** The subscription pattern's source text, if this is a pattern source. */
  readonly pattern: string | undefined;
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
}

export interface ProcessorDescription {
  readonly kind: 'processor';
  readonly name: string;
  readonly stores: readonly string[];
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
}

export interface SinkDescription {
  readonly kind: 'sink';
  readonly name: string;
  /** The fixed topic, or undefined when a TopicNameExtractor picks it per record. */
  readonly topic: string | undefined;
  /** The extractor function's name when the topic is chosen per record. */
  readonly topicNameExtractor: string | undefined;
  readonly predecessors: readonly string[];
  readonly successors: readonly string[];
}

export type NodeDescription = SourceDescription | ProcessorDescription | SinkDescription;

/** Nodes are ordered as Kafka Streams prints them: larger downstream sub-graph first, then by name. */
export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
}

export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: SourceDescription;
  readonly processor: ProcessorDescription;
}

function names(nodes: readonly string[]): string {
  return nodes.length === 0 ? 'none' : nodes.join(', ');
}

function nodeText(node: NodeDescription): string {
  switch (node.kind) {
    case 'source': {
      const topics = node.pattern ?? `[${node.topics.join(', ')}]`;
      return `Source: ${node.name} (topics: ${topics})\n      --> ${names(node.successors)}`;
    }
    case 'processor':
      return (
        `Processor: ${node.name} (stores: [${node.stores.join(', ')}])\n      --> ${names(node.successors)}` +
        `\n      <-- ${names(node.predecessors)}`
      );
    case 'sink': {
      const target =
        node.topic !== undefined ? `topic: ${node.topic}` : `extractor class: ${node.topicNameExtractor}`;
      return `Sink: ${node.name} (${target})\n      <-- ${names(node.predecessors)}`;
    }
  }
}

function subtopologyText(sub: SubtopologyDescription): string {
  return `Sub-topology: ${sub.id}\n${sub.nodes.map((n) => `    ${nodeText(n)}\n`).join('')}\n`;
}

function globalStoreText(store: GlobalStoreDescription): string {
  return (
    `Sub-topology: ${store.id} for global store (will not generate tasks)\n` +
    `    ${nodeText(store.source)}\n    ${nodeText(store.processor)}\n`
  );
}

/**
 * What `Topology.describe()` returns: a JSON-friendly shape (for a web view) whose `toString()` prints
 * Kafka Streams' text form, spacing included.
 */
export class TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  readonly globalStores: readonly GlobalStoreDescription[];

  constructor(
    subtopologies: readonly SubtopologyDescription[],
    globalStores: readonly GlobalStoreDescription[],
  ) {
    this.subtopologies = [...subtopologies].sort((a, b) => a.id - b.id);
    this.globalStores = [...globalStores].sort((a, b) => a.id - b.id);
  }

  /** Sub-topologies and global stores interleaved by id, as Kafka Streams' TopologyDescription prints them. */
  toString(): string {
    let out = 'Topologies:\n ';
    let expectedId = 0;
    let s = 0;
    let g = 0;
    const subs = this.subtopologies;
    const globals = this.globalStores;
    while (s < subs.length && g < globals.length) {
      out += '  ';
      if (subs[s]!.id === expectedId) out += subtopologyText(subs[s++]!);
      else out += globalStoreText(globals[g++]!);
      expectedId++;
    }
    while (s < subs.length) out += `  ${subtopologyText(subs[s++]!)}`;
    while (g < globals.length) out += `  ${globalStoreText(globals[g++]!)}`;
    return out;
  }

  toJSON(): {
    subtopologies: readonly SubtopologyDescription[];
    globalStores: readonly GlobalStoreDescription[];
  } {
    return { subtopologies: this.subtopologies, globalStores: this.globalStores };
  }
}
