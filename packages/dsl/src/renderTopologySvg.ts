import { escapeXml } from './internal/escapeXml.js';
import { type LayoutNode, layoutTopology } from './internal/topologyLayout.js';
import type { TopologyDescription } from './TopologyDescription.js';

const FILL: Record<LayoutNode['kind'], string> = {
  topic: '#fff4d6',
  source: '#d9f2dd',
  processor: '#dde8fb',
  sink: '#fde2cf',
  store: '#ececec',
};
const STROKE: Record<LayoutNode['kind'], string> = {
  topic: '#c79a1e',
  source: '#3b8f4b',
  processor: '#3f6fc4',
  sink: '#c4672a',
  store: '#777777',
};

function shape(node: LayoutNode): string {
  const { x, y, width: w, height: h, kind } = node;
  const style = `fill="${FILL[kind]}" stroke="${STROKE[kind]}" stroke-width="1.5"`;
  switch (kind) {
    case 'topic':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}" ${style}/>`;
    case 'store': {
      // A cylinder: body plus the top ellipse.
      const ry = 5;
      return (
        `<path d="M${x},${y + ry} v${h - 2 * ry} a${w / 2},${ry} 0 0 0 ${w},0 v${-(h - 2 * ry)}" ${style}/>` +
        `<ellipse cx="${x + w / 2}" cy="${y + ry}" rx="${w / 2}" ry="${ry}" ${style}/>`
      );
    }
    default:
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" ${style}/>`;
  }
}

/**
 * The topology as an SVG picture: one box per sub-topology (and global store), topics as pills, processors as
 * boxes coloured by kind (source, processor, sink), stores as cylinders joined to their processors by dashed
 * lines, data flowing left to right. Each node is a `<g class="node" data-kind data-name>` so a page can find it
 * (for live rates, or a test).
 */
export function renderTopologySvg(description: TopologyDescription): string {
  const layout = layoutTopology(description);
  const width = Math.max(layout.width, 200);
  const height = Math.max(layout.height, 40);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" ' +
      'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  ];
  for (const cluster of layout.clusters) {
    const byId = new Map(cluster.nodes.map((n) => [n.id, n]));
    out.push(
      `<g class="cluster" data-title="${escapeXml(cluster.title)}">`,
      `<rect x="${cluster.x + 0.5}" y="${cluster.y + 0.5}" width="${cluster.width - 1}" height="${cluster.height - 1}" ` +
        'rx="8" fill="#fafafa" stroke="#bbbbbb"/>',
      `<text x="${cluster.x + 12}" y="${cluster.y + 18}" font-weight="bold" font-size="12">${escapeXml(cluster.title)}</text>`,
    );
    for (const edge of cluster.edges) {
      const from = byId.get(edge.from)!;
      const to = byId.get(edge.to)!;
      if (edge.kind === 'store') {
        // Around the right-hand side of the column, so the line never crosses the boxes between the two.
        const x = from.x + from.width;
        const y1 = from.y + from.height / 2;
        const y2 = to.y + to.height / 2;
        out.push(
          `<path class="edge store" d="M${x},${y1} C${x + 24},${y1} ${x + 24},${y2} ${x},${y2}" fill="none" ` +
            'stroke="#888" stroke-dasharray="4 3"/>',
        );
        continue;
      }
      const x1 = from.x + from.width;
      const y1 = from.y + from.height / 2;
      const x2 = to.x;
      const y2 = to.y + to.height / 2;
      const bend = Math.max(20, (x2 - x1) / 2);
      out.push(
        `<path class="edge flow" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" ` +
          'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>',
      );
    }
    for (const node of cluster.nodes) {
      out.push(
        `<g class="node" data-kind="${node.kind}" data-name="${escapeXml(node.label)}">`,
        `<title>${escapeXml(`${node.kind}: ${node.label}`)}</title>`,
        shape(node),
        `<text x="${node.x + node.width / 2}" y="${node.y + node.height / 2 + 4}" text-anchor="middle">` +
          `${escapeXml(node.label)}</text>`,
        '</g>',
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
