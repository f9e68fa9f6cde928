import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every relative module the file imports, transitively, with the bare specifiers each one imports. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const bare: string[] = [];
    seen.set(file, bare);
    for (const m of text.matchAll(/^(?:import|export)\s(?!type\b)[^'"]*from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.push(spec);
    }
  };
  visit(entry);
  return seen;
}

describe('@openmind-ssl/data/browser', () => {
  it('imports no Node module, directly or through another file', () => {
    const graph = importGraph(join(here, 'browser.ts'));
    expect(graph.size).toBeGreaterThan(10);
    const nodeImports = [...graph].flatMap(([file, specs]) => specs.filter((s) => s.startsWith('node:') || ['fs', 'zlib', 'path', 'os', 'worker_threads'].includes(s)).map((s) => `${file}: ${s}`));
    expect(nodeImports).toEqual([]);
    const packages = new Set([...graph.values()].flat());
    expect([...packages].sort()).toEqual(['@openmind-ssl/core']);
  });
});
