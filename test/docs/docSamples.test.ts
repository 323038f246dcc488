import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { extractSamples } from './extractSamples.js';

const ROOT = resolve(import.meta.dirname, '../..');

// Every TypeScript sample in the README and docs/ type-checks against the packages' sources, as a user's
// strict ESM project would compile it, so the docs cannot fall behind the API.
it('every TypeScript sample in README.md and docs/ compiles', { timeout: 300_000 }, () => {
  const samples = extractSamples(ROOT);
  expect(samples.length).toBeGreaterThanOrEqual(15);
  // Under node_modules so the samples resolve @tributary/* as a user's project does.
  const dir = join(ROOT, 'node_modules', '.doc-samples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const files = samples.map((sample, i) => {
    const file = join(dir, `sample${String(i).padStart(3, '0')}.ts`);
    // `export {}` makes every sample a module (top-level await, no globals shared between samples).
    writeFileSync(file, `${sample.code}\nexport {};\n`);
    return { file, origin: sample.origin };
  });
  try {
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        lib: ['lib.es2023.d.ts'],
        customConditions: ['tributary-source'],
      },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.some((f) => f.file === d.file!.fileName))
      .map((d) => {
        const sample = files.find((f) => f.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        return `${sample.origin} (sample line ${line + 1}): ${text}\n    ${d.file!.text.split('\n')[line]?.trim()}`;
      });
    expect(problems).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
