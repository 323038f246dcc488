import type { NodeDescription, TopologyDescription } from '../TopologyDescription.js';

/** What a box in the picture stands for. */
export type LayoutNodeKind = 'topic' | 'source' | 'processor' | 'sink' | 'store';

export interface LayoutNode {
  /** Unique within the whole picture (topics and stores appear once per cluster that uses them). */
  readonly id: string;
  readonly kind: LayoutNodeKind;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
  /** `store` edges join a processor and its store (no direction: the processor reads and writes it). */
  readonly kind: 'flow' | 'store';
}

export interface LayoutCluster {
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

export interface TopologyLayout {
  readonly width: number;
  readonly height: number;
  readonly clusters: readonly LayoutCluster[];
}

const CHAR_WIDTH = 7;
const NODE_HEIGHT = 30;
const ROW_GAP = 18;
const COLUMN_GAP = 56;
const PADDING = 16;
const TITLE_HEIGHT = 26;
const CLUSTER_GAP = 24;

interface PendingNode {
  id: string;
  kind: LayoutNodeKind;
  label: string;
  column: number;
  order: number;
}

/**
 * Lays each sub-topology (and each global store) out as a cluster of columns, left to right: the topics it
 * reads, then its nodes by longest path from a source, then the topics it writes; a store sits in the column of
 * the first processor that uses it. Clusters are stacked top to bottom. Boxes never overlap: each column is as
 * wide as its widest label and each row as tall as one node.
 */
export function layoutTopology(description: TopologyDescription): TopologyLayout {
  const clusters: LayoutCluster[] = [];
  let y = 0;
  const parts: { title: string; nodes: readonly NodeDescription[] }[] = [
    ...description.subtopologies.map((s) => ({ title: `Sub-topology ${s.id}`, nodes: s.nodes })),
    ...description.globalStores.map((g) => ({
      title: `Global store ${g.id} (${g.processor.stores.join(', ')})`,
      nodes: [g.source, g.processor] as readonly NodeDescription[],
    })),
  ];
  parts.forEach((part, index) => {
    const cluster = layoutCluster(part.title, part.nodes, `c${index}`, y);
    clusters.push(cluster);
    y += cluster.height + CLUSTER_GAP;
  });
  const width = Math.max(0, ...clusters.map((c) => c.width));
  return { width, height: Math.max(0, y - CLUSTER_GAP), clusters };
}

function layoutCluster(
  title: string,
  nodes: readonly NodeDescription[],
  prefix: string,
  top: number,
): LayoutCluster {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const column = new Map<string, number>();
  const columnOf = (name: string, seen = new Set<string>()): number => {
    const known = column.get(name);
    if (known !== undefined) return known;
    const node = byName.get(name);
    if (node === undefined || seen.has(name)) return 1;
    seen.add(name);
    const inside = node.predecessors.filter((p) => byName.has(p));
    const value = inside.length === 0 ? 1 : 1 + Math.max(...inside.map((p) => columnOf(p, seen)));
    column.set(name, value);
    return value;
  };
  const pending: PendingNode[] = [];
  const edges: LayoutEdge[] = [];
  const ids = new Map<string, string>();
  const idOf = (key: string): string => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `${prefix}-n${ids.size}`;
      ids.set(key, id);
    }
    return id;
  };
  const add = (key: string, kind: LayoutNodeKind, label: string, col: number): string => {
    const id = idOf(key);
    if (!pending.some((p) => p.id === id))
      pending.push({ id, kind, label, column: col, order: pending.length });
    return id;
  };
  let lastColumn = 1;
  for (const node of nodes) lastColumn = Math.max(lastColumn, columnOf(node.name));
  for (const node of nodes) {
    const col = columnOf(node.name);
    const id = add(`node:${node.name}`, node.kind, node.name, col);
    if (node.kind === 'source') {
      const topics = node.pattern !== undefined ? [`/${node.pattern}/`] : node.topics;
      for (const topic of topics)
        edges.push({ from: add(`in:${topic}`, 'topic', topic, 0), to: id, kind: 'flow' });
    } else if (node.kind === 'sink') {
      const topic = node.topic ?? `(${node.topicNameExtractor ?? 'extractor'})`;
      edges.push({ from: id, to: add(`out:${topic}`, 'topic', topic, lastColumn + 1), kind: 'flow' });
    } else {
      for (const store of node.stores) {
        edges.push({ from: id, to: add(`store:${store}`, 'store', store, col), kind: 'store' });
      }
    }
    for (const successor of node.successors) {
      if (byName.has(successor)) edges.push({ from: id, to: idOf(`node:${successor}`), kind: 'flow' });
    }
  }
  return place(title, pending, edges, top);
}

function place(title: string, pending: PendingNode[], edges: LayoutEdge[], top: number): LayoutCluster {
  const columns = new Map<number, PendingNode[]>();
  for (const node of pending) {
    const list = columns.get(node.column) ?? [];
    list.push(node);
    columns.set(node.column, list);
  }
  const row = new Map<string, number>();
  const predecessors = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind !== 'flow') continue;
    const list = predecessors.get(e.to) ?? [];
    list.push(e.from);
    predecessors.set(e.to, list);
  }
  const sortedColumns = [...columns.keys()].sort((a, b) => a - b);
  const laidOut: LayoutNode[] = [];
  let x = PADDING;
  let maxRows = 0;
  for (const col of sortedColumns) {
    const list = columns.get(col)!;
    // Barycentre ordering: a node goes near the rows of its predecessors; stores after the processors.
    const weight = (n: PendingNode): number => {
      if (n.kind === 'store') return Number.MAX_SAFE_INTEGER / 2 + n.order;
      const rows = (predecessors.get(n.id) ?? []).map((p) => row.get(p)).filter((r) => r !== undefined);
      return rows.length === 0 ? n.order : rows.reduce((a, b) => a + b, 0) / rows.length + n.order * 1e-6;
    };
    list.sort((a, b) => weight(a) - weight(b));
    const width = Math.max(...list.map((n) => n.label.length * CHAR_WIDTH + 24), 120);
    list.forEach((n, i) => {
      row.set(n.id, i);
      laidOut.push({
        id: n.id,
        kind: n.kind,
        label: n.label,
        x,
        y: top + TITLE_HEIGHT + PADDING + i * (NODE_HEIGHT + ROW_GAP),
        width,
        height: NODE_HEIGHT,
      });
    });
    maxRows = Math.max(maxRows, list.length);
    x += width + COLUMN_GAP;
  }
  const width = x - COLUMN_GAP + PADDING + 12; // room for the store arcs right of the last column
  const height = TITLE_HEIGHT + 2 * PADDING + maxRows * NODE_HEIGHT + Math.max(0, maxRows - 1) * ROW_GAP;
  return { title, x: 0, y: top, width, height, nodes: laidOut, edges };
}
