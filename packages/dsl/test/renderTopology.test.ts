import { Serdes } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  Consumed,
  Grouped,
  Materialized,
  Produced,
  renderTopologyHtml,
  renderTopologyMermaid,
  renderTopologySvg,
  StreamsBuilder,
} from '../src/index.js';

const S = Serdes.String();

/** Word count through a repartition topic, a stream-table join and a global table: three kinds of cluster. */
function topology() {
  const b = new StreamsBuilder();
  const lines = b.stream('lines', Consumed.with(S, S));
  lines
    .flatMapValues((l) => l.split(' '))
    .groupBy((_k, w) => w, Grouped.with(S, S))
    .count(Materialized.as('counts'))
    .toStream()
    .to('word-counts', Produced.with(S, Serdes.Int64()));
  const users = b.table('users', Consumed.with(S, S), Materialized.as('users-store'));
  lines.join(users, (l, u) => `${l}/${u}`).to('enriched', Produced.with(S, S));
  b.globalTable('regions', Consumed.with(S, S), Materialized.as('regions-store'));
  return b.build();
}

interface Box {
  kind: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Every node group of the SVG with the box of its first shape (rect, or the cylinder's path start). */
function boxes(svg: string): Box[] {
  const out: Box[] = [];
  for (const m of svg.matchAll(
    /<g class="node" data-kind="(\w+)" data-name="([^"]*)">\n<title>[^<]*<\/title>\n(.*)\n/g,
  )) {
    const shape = m[3]!;
    const rect = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(shape);
    const cylinder = /<path d="M([\d.]+),([\d.]+) v([\d.]+) a([\d.]+),5/.exec(shape);
    const [x, y, w, h] = rect
      ? rect.slice(1).map(Number)
      : [Number(cylinder![1]), Number(cylinder![2]) - 5, Number(cylinder![4]) * 2, Number(cylinder![3]) + 10];
    out.push({ kind: m[1]!, name: m[2]!, x: x!, y: y!, w: w!, h: h! });
  }
  return out;
}

describe('topology pictures', () => {
  it('the SVG has a box for every node, every topic each cluster touches and every store, none overlapping', () => {
    const description = topology().describe();
    const svg = renderTopologySvg(description);
    const found = boxes(svg);
    // Per cluster: each topic and store once (the join and the table source share users-store); a topic that
    // links two clusters (counts-repartition) is drawn in both.
    const expected: string[] = [];
    for (const sub of description.subtopologies) {
      const cluster = new Set<string>();
      for (const node of sub.nodes) {
        cluster.add(`${node.kind} ${node.name}`);
        if (node.kind === 'source') for (const t of node.topics) cluster.add(`topic ${t}`);
        if (node.kind === 'sink') cluster.add(`topic ${node.topic}`);
        if (node.kind === 'processor') for (const s of node.stores) cluster.add(`store ${s}`);
      }
      expected.push(...cluster);
    }
    for (const g of description.globalStores) {
      expected.push(
        `source ${g.source.name}`,
        'topic regions',
        `processor ${g.processor.name}`,
        'store regions-store',
      );
    }
    expect(found.map((b) => `${b.kind} ${b.name}`).sort()).toEqual(expected.sort());
    expect(
      found
        .filter((b) => b.kind === 'topic')
        .map((b) => b.name)
        .sort(),
    ).toEqual([
      'counts-repartition',
      'counts-repartition',
      'enriched',
      'lines',
      'regions',
      'users',
      'word-counts',
    ]);
    for (let i = 0; i < found.length; i++) {
      for (let j = i + 1; j < found.length; j++) {
        const [a, b] = [found[i]!, found[j]!];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.kind} ${a.name} overlaps ${b.kind} ${b.name}`).toBe(false);
      }
    }
    const [, width, height] = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number);
    for (const b of found) {
      expect(b.x + b.w).toBeLessThanOrEqual(width!);
      expect(b.y + b.h).toBeLessThanOrEqual(height!);
    }
    expect([...svg.matchAll(/<g class="cluster" data-title="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Sub-topology 0',
      'Sub-topology 1',
      'Global store 2 (regions-store)',
    ]);
    // Flow edges: node → successor, topic → source, sink → topic.
    let flows = 0;
    for (const sub of description.subtopologies) {
      for (const node of sub.nodes) {
        flows += node.successors.length;
        if (node.kind === 'source') flows += node.topics.length;
        if (node.kind === 'sink') flows += 1;
      }
    }
    flows += 2 * description.globalStores.length;
    expect(svg.match(/class="edge flow"/g)).toHaveLength(flows);
  });

  it('escapes names in SVG, HTML and Mermaid', () => {
    const b = new StreamsBuilder();
    b.stream('a<b&"c"', Consumed.with(S, S)).to("it's", Produced.with(S, S));
    const description = b.build().describe();
    expect(renderTopologySvg(description)).toContain('data-name="a&#60;b&#38;&#34;c&#34;"');
    expect(renderTopologyHtml(description, 'T<1>')).toContain('<title>T&#60;1&#62;</title>');
    expect(renderTopologyMermaid(description)).toContain('n2(["a<b&#quot;c#quot;"])');
  });

  it('Mermaid: a flowchart with a subgraph per sub-topology, topics as stadiums and stores as cylinders', () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(S, S))
      .groupByKey()
      .count(Materialized.as('n'))
      .toStream()
      .to('out', Produced.with(S, Serdes.Int64()));
    expect(renderTopologyMermaid(b.build().describe())).toBe(
      [
        'flowchart LR',
        '  subgraph sub0["Sub-topology 0"]',
        '    n0["KSTREAM-SOURCE-0000000000"]',
        '    n1["KSTREAM-AGGREGATE-0000000001"]',
        '    n3["KTABLE-TOSTREAM-0000000002"]',
        '    n5["KSTREAM-SINK-0000000003"]',
        '  end',
        '  n2(["in"])',
        '  n6(["out"])',
        '  n4[("n")]',
        '  n0 --> n1',
        '  n2 --> n0',
        '  n1 --> n3',
        '  n1 -.- n4',
        '  n3 --> n5',
        '  n5 --> n6',
        '',
      ].join('\n'),
    );
  });
});
