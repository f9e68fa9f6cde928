import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticOpenMind, preprocessDataset } from '@openmind-ssl/data';
import { beforeAll, describe, expect, it } from 'vitest';

// `openmind pretrain --method simclr` on both architecture families, with a data worker building the
// views: the loss per step, the adaptation plan with the crop as the pretrain patch, and the report's
// similarity-matrix panel before and after training.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');

let store = '';
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-cli-simclr-'));
  await generateSyntheticOpenMind({ out: root, subjects: 3, seed: 4, sizeMm: 32 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
}, 300_000);

describe('openmind pretrain --method simclr', () => {
  for (const [arch, key] of [['resenc-tiny', 'encoder.stages'], ['primus-tiny', 'eva']] as const) {
    it(`should train on ${arch} and report the embedding similarity matrix`, () => {
      const out = mkdtempSync(join(tmpdir(), `om-cli-simclr-${arch}-`));
      const args = [
        'pretrain', '--method', 'simclr', '--data', store, '--out', out, '--backend', 'onnxruntime', '--arch', arch,
        '--patch-size', '16', '--batch-size', '2', '--workers', '1', '--epochs', '1', '--iterations', '2', '--val-iterations', '0',
        '--method-config', '{"projectorDim":32}',
      ];
      const r = spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`pretrain: simclr on ${arch}`);
      const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
      expect(steps).toHaveLength(2);
      // NT-Xent over 8 rows lies in (0, log 7 + 2/τ]: finite and positive.
      expect(steps.every((s) => Number.isFinite(s.loss) && s.loss > 0)).toBe(true);
      const plan = JSON.parse(readFileSync(join(out, 'adaptation_plan.json'), 'utf8')) as { key_to_encoder: string; pretrain_plan: { configurations: Record<string, { patch_size: number[] }> } };
      expect(plan.key_to_encoder).toBe(key);
      expect(Object.values(plan.pretrain_plan.configurations)[0]!.patch_size).toEqual([16, 16, 16]);
      const page = readFileSync(join(out, 'report', 'index.html'), 'utf8');
      expect(page).toContain('<img src="loss.svg"');
      expect(page).toContain('<h2>Embedding similarity before training</h2>');
      expect(page).toContain('<h2>Embedding similarity after training</h2>');
      // 2 images × 2 pairs: an 8 × 8 matrix labelled by crop.
      const svg = readFileSync(join(out, 'report', 'end-panel-1.svg'), 'utf8');
      expect(svg).toContain('ovl 4');
      expect(svg).toContain('ref 1');
    }, 300_000);
  }
});
