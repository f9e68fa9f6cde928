// Which workspaces of this repository are npm packages (published, or — the plugin template — meant to be
// published by whoever copies it): every workspace whose package.json has an `exports` map. Apps such as
// examples/choose-backend have none and are skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<root>/scripts`). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The package workspaces, in a stable order.
 * @returns {{ dir: string, name: string, version: string, private: boolean }[]}
 */
export function publishablePackages() {
  const found = [];
  for (const parent of ['packages', 'examples']) {
    for (const entry of readdirSync(join(repoRoot, parent)).sort()) {
      const file = join(repoRoot, parent, entry, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (!pkg.exports) continue;
      found.push({ dir: join(repoRoot, parent, entry), name: pkg.name, version: pkg.version, private: pkg.private === true });
    }
  }
  return found;
}

/**
 * Fails with a clear message when a package has no build output: packing would publish an empty package.
 * @param {{ dir: string, name: string }[]} packages
 */
export function assertBuilt(packages) {
  const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist', 'index.js'))).map((p) => p.name);
  if (unbuilt.length > 0) throw new Error(`not built (no dist/index.js): ${unbuilt.join(', ')}; run \`npx turbo run build\` first`);
}

/**
 * Packs the packages with one `npm pack` (from their dist/ and src/, scripts not run) into `dest`.
 * @param {{ dir: string, name: string }[]} packages
 * @param {string} dest
 * @returns {Map<string, string>} package name → tarball path
 */
export function packAll(packages, dest) {
  const workspaces = packages.flatMap((p) => ['--workspace', p.dir]);
  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest, ...workspaces], {
    cwd: repoRoot, encoding: 'utf8', env: npmFreeEnv(),
  });
  if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status}):\n${r.stderr}`);
  /** @type {{ name: string, filename: string }[]} */
  const packed = JSON.parse(r.stdout);
  return new Map(packed.map((t) => [t.name, join(dest, t.filename)]));
}

/**
 * The environment without the npm_* variables an enclosing `npm test` sets (its prefix, its package's
 * fields), so that a child npm reads only its own folder's configuration.
 * @param {Record<string, string>} [extra]
 */
export function npmFreeEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}
