import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/internal/tributaryCli.js';

const MODULE = fileURLToPath(new URL('./fixtures/doublingTopology.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.env.DOUBLING_INPUT = 'numbers';
  process.env.DOUBLING_OUTPUT = 'doubled';
});
afterEach(() => vi.restoreAllMocks());

describe('tributary topology <module>', () => {
  it('writes describe() as text, and an HTML page with the picture', async () => {
    const text = join(dir, 'topology.txt');
    expect(await main(['topology', MODULE, '--format', 'text', '--out', text])).toBe(0);
    expect(readFileSync(text, 'utf8')).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [numbers])',
        '      --> KSTREAM-MAPVALUES-0000000001',
        '    Processor: KSTREAM-MAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-SINK-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Sink: KSTREAM-SINK-0000000002 (topic: doubled)',
        '      <-- KSTREAM-MAPVALUES-0000000001',
        '',
        '',
      ].join('\n'),
    );
    expect(stdout).toBe(`wrote ${text} (1 sub-topologies, 3 nodes, 0 global stores)\n`);

    const html = join(dir, 'page.html');
    expect(await main(['topology', MODULE, '--out', html])).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>Topology of doublingTopology</title>');
    expect(
      [...page.matchAll(/<g class="node" data-kind="(\w+)" data-name="([^"]+)"/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    ).toEqual([
      'topic numbers',
      'source KSTREAM-SOURCE-0000000000',
      'processor KSTREAM-MAPVALUES-0000000001',
      'sink KSTREAM-SINK-0000000002',
      'topic doubled',
    ]);
  });

  it('prints Mermaid to stdout with --out -', async () => {
    expect(await main(['topology', MODULE, '--format', 'mermaid', '--out', '-'])).toBe(0);
    expect(stdout.split('\n')[0]).toBe('flowchart LR');
    expect(stdout).toContain('n2(["numbers"])');
  });

  it('explains a wrong command line with the usage, and a bad module without a stack trace', async () => {
    expect(await main(['topology'])).toBe(2);
    expect(stderr).toMatch(/^tributary: no module given\n\nusage: tributary topology <module>/);
    stderr = '';
    expect(await main(['topology', MODULE, '--format', 'png'])).toBe(2);
    expect(stderr).toMatch(/^tributary: unknown format 'png' \(html, svg, mermaid or text\)/);
    stderr = '';
    expect(await main(['topology', MODULE, '--export', 'nothing'])).toBe(1);
    expect(stderr).toBe(
      `tributary: topology module file://${MODULE} exports no nothing function; export one that returns the Topology\n`,
    );
    stdout = '';
    expect(await main(['--help'])).toBe(0);
    expect(stdout).toMatch(/^usage: tributary topology/);
  });
});
