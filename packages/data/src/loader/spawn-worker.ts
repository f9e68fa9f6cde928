import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OpenMindError } from '@openmind-ssl/core';

let tsxApi: string | undefined;

/** URL of tsx's ESM register API, found through its package.json exports (no guessing of its layout). */
function tsxApiUrl(from: string): string {
  if (tsxApi) return tsxApi;
  const require = createRequire(from);
  const pkgFile = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } } | string> };
  const entry = pkg.exports['./esm/api'];
  const rel = typeof entry === 'string' ? entry : entry!.import.default;
  tsxApi = pathToFileURL(join(dirname(pkgFile), rel)).href;
  return tsxApi;
}

/**
 * Starts the worker module `<name>` that sits beside the calling module (`from` = its `import.meta.url`).
 *
 * Built package: `<name>.js` next to the bundle (or one folder up, for bundles in `dist/bin/`) is started
 * directly. From TypeScript sources (tests,
 * benchmarks, `tsx`): the worker gets a one-line bootstrap that registers tsx and imports `<name>.ts`,
 * with the `@openmind-ssl/source` condition so workspace packages resolve to their sources too. Worker
 * threads do not inherit the parent's loader hooks, hence the explicit registration.
 */
export function spawnSiblingWorker(from: string, name: string, workerData: unknown): Worker {
  if (!from.endsWith('.ts')) {
    // Bundles live in dist/ or a folder below it (dist/bin/...); the worker entries sit in dist/.
    const candidates = [new URL(`./${name}.js`, from), new URL(`../${name}.js`, from)];
    const found = candidates.find((u) => existsSync(fileURLToPath(u)));
    if (!found) {
      throw new OpenMindError(
        `worker "${name}": the file must exist at ${candidates.map((u) => fileURLToPath(u)).join(' or ')}, but it does not.\nHint: build it as a tsup entry next to dist/index.js ('${name}': 'src/.../${name}.ts').`,
      );
    }
    return new Worker(found, { workerData });
  }
  const target = new URL(`./${name}.ts`, from).href;
  const code = `import { register } from ${JSON.stringify(tsxApiUrl(fileURLToPath(from)))};\nregister();\nawait import(${JSON.stringify(target)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
    workerData,
    execArgv: ['--conditions=@openmind-ssl/source'],
  });
}
