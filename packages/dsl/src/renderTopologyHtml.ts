import { escapeXml } from './internal/escapeXml.js';
import { renderTopologySvg } from './renderTopologySvg.js';
import type { TopologyDescription } from './TopologyDescription.js';

/**
 * A self-contained HTML page (no scripts, no network) showing the topology's picture, a legend and Kafka
 * Streams' text form of `describe()` beneath it.
 */
export function renderTopologyHtml(description: TopologyDescription, title = 'Topology'): string {
  const legend = [
    ['topic', '#fff4d6', '#c79a1e'],
    ['source', '#d9f2dd', '#3b8f4b'],
    ['processor', '#dde8fb', '#3f6fc4'],
    ['sink', '#fde2cf', '#c4672a'],
    ['store', '#ececec', '#777777'],
  ]
    .map(
      ([name, fill, stroke]) =>
        `<span class="key"><i style="background:${fill};border-color:${stroke}"></i>${name}</span>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
  h1 { font-size: 20px; margin: 0 0 8px; }
  .legend { margin: 0 0 16px; font-size: 13px; }
  .key { margin-right: 14px; }
  .key i { display: inline-block; width: 14px; height: 12px; border: 1.5px solid; border-radius: 3px;
           margin-right: 5px; vertical-align: -2px; }
  .picture { overflow: auto; border: 1px solid #e4e4e4; padding: 12px; background: white; }
  pre { background: #f6f6f6; padding: 12px; overflow: auto; font-size: 12px; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<div class="legend">${legend}</div>
<div class="picture">
${renderTopologySvg(description)}
</div>
<details><summary>describe()</summary><pre>${escapeXml(description.toString())}</pre></details>
</body>
</html>
`;
}
