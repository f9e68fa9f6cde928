import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, fullLike, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { evaluateFolder } from '../evaluation/evaluate-folder.js';
import { testSegPlan } from '../testing/adaptation-plan.js';
import { writeTestDataset } from '../testing/write-dataset.js';
import { findPredictionCases } from './find-cases.js';
import { predictCases } from './predict-cases.js';
import type { TileProgress } from './sliding-window.js';

setBackend(new ReferenceBackend());

describe('predictCases', () => {
  it('should predict every case onto its input grid, report a broken case and go on', async () => {
    // Lesions are 40 above the tissue (noise σ 5): after z-scoring they sit near +3, tissue near 0, so a
    // "network" whose foreground logit is the intensity and background logit 1.5 segments them.
    const data = await writeTestDataset({ cases: 2, spacing: [1, 1, 2] });
    writeFileSync(join(data, 'imagesTr', 'broken_0000.nii.gz'), 'not a nifti file');
    const out = await mkdtemp(join(tmpdir(), 'om-seg-pred-'));
    const plan = testSegPlan();
    const tiles: TileProgress[] = [];
    const cases = findPredictionCases(join(data, 'imagesTr'), 1);
    expect(cases.map((c) => c.id)).toEqual(['broken', 'case_000', 'case_001']);
    const results = await predictCases(cases, {
      plan, outDir: out, networks: (x) => concat([fullLike(x, 1.5), x], 1), mirroring: false, onTile: (t) => tiles.push(t),
    });
    expect(results[0]!.error).toMatch(/broken_0000\.nii\.gz/);
    expect(results.slice(1).map((r) => r.file)).toEqual([join(out, 'case_000.nii.gz'), join(out, 'case_001.nii.gz')]);
    expect(tiles.length).toBeGreaterThan(0);
    const summary = await evaluateFolder(out, join(data, 'labelsTr'));
    expect(summary.mean['1']!.Dice).toBeGreaterThan(0.8);
  });
});

describe('findPredictionCases', () => {
  it('should group channel files by case and name an incomplete case', async () => {
    const data = await writeTestDataset({ cases: 2, channels: 2 });
    const { rmSync } = await import('node:fs');
    rmSync(join(data, 'imagesTr', 'case_001_0001.nii.gz'));
    const cases = findPredictionCases(join(data, 'imagesTr'), 2);
    expect(cases[0]!.files.map((f) => f.split('/').at(-1))).toEqual(['case_000_0000.nii.gz', 'case_000_0001.nii.gz']);
    expect(cases[1]!.missing).toMatch(/missing channel file\(s\) case_001_0001/);
    expect(findPredictionCases(join(data, 'imagesTr', 'case_000_0000.nii.gz'), 2)[0]!.files).toHaveLength(2);
  });
});
