import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';
import { parseNnunetJson } from '@openmind-ssl/task-segmentation';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'src', 'bin', 'openmind.ts');
const openmind = (...args: string[]) => spawnSync(process.execPath, ['--conditions=@openmind-ssl/source', '--import', 'tsx', bin, ...args], { cwd: repo, encoding: 'utf8' });

describe('openmind evaluate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-cli-evaluate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should write nnU-Net\'s summary.json and print the table; name a missing case', async () => {
    const pred = join(dir, 'pred');
    const ref = join(dir, 'ref');
    mkdirSync(pred);
    mkdirSync(ref);
    const label = (from: number) => Uint8Array.from({ length: 4 * 4 * 4 }, (_, i) => (i >= from ? 1 : 0));
    await writeNifti(join(ref, 'a.nii.gz'), createNiftiImage(label(32), [4, 4, 4]));
    await writeNifti(join(pred, 'a.nii.gz'), createNiftiImage(label(16), [4, 4, 4]));
    await writeNifti(join(ref, 'b.nii.gz'), createNiftiImage(label(64), [4, 4, 4])); // empty reference and prediction
    await writeNifti(join(pred, 'b.nii.gz'), createNiftiImage(label(64), [4, 4, 4]));
    const out = join(dir, 'summary.json');
    const r = openmind('evaluate', '--pred', pred, '--ref', ref, '--labels', '1', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const s = parseNnunetJson(readFileSync(out, 'utf8')) as { metric_per_case: { metrics: Record<string, { Dice: number }> }[]; mean: Record<string, { Dice: number }> };
    expect(s.metric_per_case[0]!.metrics['1']!.Dice).toBeCloseTo((2 * 32) / (2 * 32 + 16), 12);
    expect(s.metric_per_case[1]!.metrics['1']!.Dice).toBeNaN();
    expect(s.mean['1']!.Dice).toBeCloseTo(0.8, 12);
    expect(r.stdout).toMatch(/^a\s+0\.8000$/m);
    expect(r.stdout).toMatch(/^b\s+NaN$/m);
    expect(r.stdout).toMatch(/^foreground mean\s+0\.8000/m);

    rmSync(join(pred, 'b.nii.gz'));
    const missing = openmind('evaluate', '--pred', pred, '--ref', ref, '--out', out);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/1 of 2 reference case\(s\) have no prediction .*: b\.nii\.gz\./);
  });
});
