import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '@openmind-ssl/core';
import { probeWebGpu } from '@openmind-ssl/backend-webgpu';
import { describe, expect, it } from 'vitest';
import { backendProviders } from '../src/backends.js';
import { trainOn } from '../src/train-on.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');

describe('choose-backend example', () => {
  it('should list tfjs and onnxruntime as available here and train on the one named', () => {
    const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', main, 'onnxruntime', '4'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ {2}onnxruntime \(priority/);
    expect(r.stdout).toMatch(/ {2}tfjs \(priority/);
    expect(r.stdout).toMatch(/training on 'onnxruntime'/);
    expect(r.stdout).toMatch(/steps\/s/);
  }, 120_000);

  it('should also list webgpu where an adapter exists (Mesa lavapipe here)', async () => {
    const probe = await probeWebGpu();
    const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', main, 'onnxruntime', '2'], { encoding: 'utf8' });
    if (probe.available) expect(r.stdout).toMatch(/ {2}webgpu \(priority/);
    else expect(r.stdout).toMatch(/ {2}webgpu: unavailable — /);
  }, 120_000);

  it('should follow OPENMIND_BACKEND when no name is given', () => {
    const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', main, '', '2'], {
      encoding: 'utf8', env: { ...process.env, OPENMIND_BACKEND: 'tfjs' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/training on 'tfjs' \(OPENMIND_BACKEND\)/);
  }, 120_000);

  it('should give the same losses from the same model code on onnxruntime and tfjs (relative 1e-3)', async () => {
    const providers = backendProviders();
    const ort = await trainOn(await selectBackend(providers, 'onnxruntime'), 3, 8);
    const tf = await trainOn(await selectBackend(providers, 'tfjs'), 3, 8);
    ort.losses.forEach((l, i) => expect(Math.abs(l - tf.losses[i]!)).toBeLessThanOrEqual(1e-3 * Math.abs(tf.losses[i]!)));
  }, 120_000);
});
