import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, npmFreeEnv, packAll, publishablePackages, repoRoot } from '../../scripts/publishable-packages.mjs';
import { type LocalRegistry, startLocalRegistry } from './local-registry.js';
import { describeResult, runCommand } from './run-command.js';

// The whole path of a third party: every package is packed from its build and published to a local
// registry (verdaccio), then a folder outside this repository installs the CLI, the example plugin and
// the plugin template's tarball from it — our scope from the local registry only, everything else from
// the public one — and pre-trains with both plugins on synthetic data.

const packages = publishablePackages();
const published = packages.filter((p) => !p.private);
const template = packages.find((p) => p.dir.endsWith(join('examples', 'plugin-template')))!;
const verdaccioBin = join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
// onnxruntime-node must not try to download GPU binaries (npm 11 skips unapproved install scripts anyway).
const env = npmFreeEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' });

let root = '';
let registry: LocalRegistry | undefined;

beforeAll(async () => {
  assertBuilt(packages);
  root = mkdtempSync(join(tmpdir(), 'om-publish-'));
  const storage = join(root, 'registry');
  mkdirSync(storage);
  registry = await startLocalRegistry(storage, verdaccioBin);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** sha512 integrity of a file, as npm writes it in package-lock.json. */
function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Whether a run folder holds a checkpoint with its weights. */
function hasCheckpoint(runDir: string): boolean {
  const dir = join(runDir, 'checkpoints');
  return existsSync(dir) && readdirSync(dir).some((s) => s.startsWith('step-') && existsSync(join(dir, s, 'model.safetensors')));
}

describe('publishing', () => {
  it('should publish every package, install them outside the repository and pre-train with the example plugin and the template', async () => {
    const reg = registry!;
    const started = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const tarballDir = join(root, 'tarballs');
    mkdirSync(tarballDir);
    const tarballs = packAll(packages, tarballDir);

    // Publish, authenticated with the throwaway user's token (the registry refuses anonymous publishes).
    const host = reg.url.replace(/^http:/, '');
    const publishRc = join(root, 'publish.npmrc');
    writeFileSync(publishRc, `${host}:_authToken=${reg.token}\n`);
    const publishes = await Promise.all(published.map(async (p) => ({
      name: p.name,
      r: await runCommand('npm', ['publish', tarballs.get(p.name)!, '--registry', reg.url, '--userconfig', publishRc, '--access', 'public', '--ignore-scripts'], root, env),
    })));
    for (const { name, r } of publishes) expect(r.code, describeResult(`npm publish ${name}`, r)).toBe(0);
    phase('published');
    for (const p of published) {
      const doc = (await (await fetch(new URL(p.name.replace('/', '%2f'), reg.url))).json()) as { versions?: Record<string, unknown> };
      expect(Object.keys(doc.versions ?? {}), p.name).toEqual([p.version]);
    }

    // A fresh project outside the repository: our scope from the local registry, the rest from npm's.
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'openmind-publish-check', private: true, type: 'module' }, null, 2));
    writeFileSync(join(app, '.npmrc'), `@openmind-ssl:registry=${reg.url}\n`);
    const cli = published.find((p) => p.name === '@openmind-ssl/cli')!;
    const rotation = published.find((p) => p.name === '@openmind-ssl/example-ssl-rotation')!;
    // --prefer-offline: third-party packages' metadata from npm's cache where it has them (a real user's
    // install would ask the registry; the packages are the same). Our scope's documents are new each run.
    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `${cli.name}@${cli.version}`, `${rotation.name}@${rotation.version}`, tarballs.get(template.name)!], app, env);
    expect(install.code, describeResult('npm install', install)).toBe(0);
    phase('installed');

    // What was installed is exactly what was packed here.
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
    for (const p of published.filter((q) => lock.packages[`node_modules/${q.name}`])) {
      expect(lock.packages[`node_modules/${p.name}`]!.integrity, p.name).toBe(integrityOf(tarballs.get(p.name)!));
    }
    for (const name of ['@openmind-ssl/core', '@openmind-ssl/backend-onnxruntime', '@openmind-ssl/arch-resenc', '@openmind-ssl/ssl-mae']) {
      expect(lock.packages[`node_modules/${name}`], `${name} installed`).toBeDefined();
    }

    const openmind = (args: string[]) => runCommand('npx', ['openmind', ...args], app, env);
    const backends = await openmind(['backends']);
    expect(backends.code, describeResult('openmind backends', backends)).toBe(0);
    expect(backends.out).toContain('onnxruntime');

    const synth = await openmind(['data', 'synth', '--out', 'data', '--subjects', '3', '--size', '24', '--lesion-cases', '0', '--tissue-cases', '0', '--seed', '1']);
    expect(synth.code, describeResult('openmind data synth', synth)).toBe(0);

    const tiny = ['--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--batch-size', '2', '--epochs', '1', '--iterations', '2', '--workers', '1', '--no-report'];
    // The raw dataset: pretrain preprocesses it into runs/rotation/preprocessed, which the second run reuses.
    const rot = await openmind(['pretrain', '--plugin', rotation.name, '--method', 'rotation', '--data', 'data', '--out', 'runs/rotation', ...tiny]);
    expect(rot.code, describeResult('openmind pretrain --method rotation', rot)).toBe(0);
    expect(rot.err).toContain('pretrain: rotation on resenc-tiny');
    expect(hasCheckpoint(join(app, 'runs', 'rotation')), 'rotation checkpoint').toBe(true);
    phase('rotation trained');

    const den = await openmind(['pretrain', '--plugin', template.name, '--method', 'denoising', '--data', 'runs/rotation/preprocessed', '--out', 'runs/denoising', ...tiny]);
    expect(den.code, describeResult('openmind pretrain --method denoising', den)).toBe(0);
    expect(den.err).toContain('pretrain: denoising on resenc-tiny');
    expect(hasCheckpoint(join(app, 'runs', 'denoising')), 'denoising checkpoint').toBe(true);
    phase('denoising trained');
    console.info(`publish test: ${phases.join(', ')}`);
  }, 900_000);
});
