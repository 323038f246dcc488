import { writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { renderTopologyHtml, renderTopologyMermaid, renderTopologySvg } from '@tributary/dsl';
import { loadTopology } from './loadTopology.js';

const USAGE = `usage: tributary topology <module> [--export <name>] [--format html|svg|mermaid|text] [--out <file>|-]

  Draws the topology that <module> builds: a JavaScript module (path or URL) exporting a function that
  returns builder.build() — the default export, or buildTopology, or the one named by --export.

  --format   html (default: a page with the picture and describe()), svg, mermaid, or text (describe())
  --out      where to write it (default: <module name>.topology.<ext> in the current directory; - for stdout)
`;

const EXTENSIONS = { html: 'html', svg: 'svg', mermaid: 'mmd', text: 'txt' } as const;
type Format = keyof typeof EXTENSIONS;

/** Thrown for a wrong command line: printed with the usage, never with a stack trace. */
class UsageError extends Error {}

function parse(args: readonly string[]): {
  module: string;
  exportName?: string;
  format: Format;
  out?: string;
} {
  const [command, ...rest] = args;
  if (command !== 'topology')
    throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  let module: string | undefined;
  let exportName: string | undefined;
  let format: Format = 'html';
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = () => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--export') exportName = value();
    else if (arg === '--out') out = value();
    else if (arg === '--format') {
      const f = value();
      if (!(f in EXTENSIONS)) throw new UsageError(`unknown format '${f}' (html, svg, mermaid or text)`);
      format = f as Format;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`);
    else if (module === undefined) module = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  if (module === undefined) throw new UsageError('no module given');
  return { module, format, ...(exportName ? { exportName } : {}), ...(out ? { out } : {}) };
}

/** The `tributary` command; returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  try {
    const options = parse(args);
    const module = /^[a-z]+:/.test(options.module) ? options.module : resolve(options.module);
    const topology = await loadTopology({
      module,
      ...(options.exportName ? { exportName: options.exportName } : {}),
    });
    const description = topology.describe();
    const name = basename(options.module, extname(options.module));
    const text =
      options.format === 'html'
        ? renderTopologyHtml(description, `Topology of ${name}`)
        : options.format === 'svg'
          ? renderTopologySvg(description)
          : options.format === 'mermaid'
            ? renderTopologyMermaid(description)
            : description.toString();
    if (options.out === '-') {
      process.stdout.write(text);
      return 0;
    }
    const out = resolve(options.out ?? `${name}.topology.${EXTENSIONS[options.format]}`);
    writeFileSync(out, text);
    const nodes = description.subtopologies.reduce((n, s) => n + s.nodes.length, 0);
    process.stdout.write(
      `wrote ${out} (${description.subtopologies.length} sub-topologies, ${nodes} nodes, ` +
        `${description.globalStores.length} global stores)\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tributary: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`tributary: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
