import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticOpenMind, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

function openmind(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let store = '';
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-cli-vf-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);

const tiny = ['--backend', 'onnxruntime', '--arch', 'resenc-tiny', '--patch-size', '16', '--workers', '1', '--epochs', '1', '--iterations', '2'];

describe('openmind pretrain --method volume-fusion', () => {
  it('should pre-train on pairs of augmented images and report fused input, true and predicted class maps', () => {
    const out = mkdtempSync(join(tmpdir(), 'om-cli-vf-run-'));
    const r = openmind(['pretrain', '--data', store, '--out', out, '--method', 'volume-fusion', '--batch-size', '4', ...tiny]);
    expect(r.code, r.err).toBe(0);
    const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    for (const title of ['Fused input after training', 'True class map after training', 'Predicted class map after training']) expect(page).toContain(title);
    for (const f of ['start-panel-1.png', 'end-panel-3.png']) expect(existsSync(join(out, 'report', f))).toBe(true);
  }, 300_000);

  it('should refuse an odd batch size, saying that it counts images fused in pairs', () => {
    const r = openmind(['pretrain', '--data', store, '--out', mkdtempSync(join(tmpdir(), 'om-cli-vf-odd-')), '--method', 'volume-fusion', '--batch-size', '3', '--no-report', ...tiny]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/VolumeFusion: a batch must hold an even number of images .* got 3; set the batch size/);
  }, 300_000);
});
