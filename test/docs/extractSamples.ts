import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Sample {
  /** e.g. `docs/getting-started.md:42` (the line of the opening fence). */
  readonly origin: string;
  readonly code: string;
}

/**
 * Every TypeScript sample of the README and docs/: fenced blocks marked ```ts or ```typescript. A block whose
 * first line is `// (continued)` is appended to the previous block of the same file, so a page can build one
 * program across several blocks; every other block must compile on its own (imports included).
 */
export function extractSamples(root: string): Sample[] {
  const files = [join(root, 'README.md'), ...markdownUnder(join(root, 'docs'))];
  const samples: { origin: string; code: string }[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let previous: { origin: string; code: string } | undefined;
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
      if (!open) continue;
      const indent = open[1]!.length;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
      const code = body.join('\n');
      const origin = `${relative(root, file)}:${i + 1}`;
      if (previous && body[0]?.trim() === '// (continued)') previous.code += `\n${code}`;
      else {
        previous = { origin, code };
        samples.push(previous);
      }
      i = j;
    }
  }
  return samples;
}

function markdownUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return markdownUnder(path);
      return name.endsWith('.md') ? [path] : [];
    });
}
