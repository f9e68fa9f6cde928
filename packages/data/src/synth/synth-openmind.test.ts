import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti.js';
import { parseCsv } from '../dataset/csv.js';
import { Tissue, randomAnatomy } from './head-anatomy.js';
import { renderContrast, renderLabels } from './render-volume.js';
import { makeGrid } from './synth-grid.js';
import type { SynthOpenMindManifest } from './synth-openmind.js';
import { generateSyntheticOpenMind } from './synth-openmind.js';
import { generateLesionDataset } from './synth-nnunet.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('generateSyntheticOpenMind', () => {
  let manifest: SynthOpenMindManifest;
  const root = join(work, 'a');
  beforeAll(async () => {
    manifest = await generateSyntheticOpenMind({ out: root, subjects: 6, seed: 11, sizeMm: 24, compressionLevel: 1 });
  });

  it('should write the same files for the same seed and different ones for another seed', async () => {
    await generateSyntheticOpenMind({ out: join(work, 'b'), subjects: 6, seed: 11, sizeMm: 24, compressionLevel: 1 });
    await generateSyntheticOpenMind({ out: join(work, 'c'), subjects: 6, seed: 12, sizeMm: 24, compressionLevel: 1 });
    const strip = (d: string) => treeHash(join(d, 'OpenMind')) + createHash('sha256').update(readFileSync(join(d, 'openneuro_metadata.csv'))).digest('hex');
    expect(strip(join(work, 'b'))).toBe(strip(root));
    expect(strip(join(work, 'c'))).not.toBe(strip(root));
  });

  it('should write the OpenMind layout with a metadata row for every image', () => {
    const { records } = parseCsv(readFileSync(join(root, 'openneuro_metadata.csv'), 'utf8'));
    expect(records.map((r) => r['image_path'])).toEqual(manifest.images.map((i) => i.imagePath));
    for (const img of manifest.images) {
      expect(existsSync(join(root, 'OpenMind', img.imagePath))).toBe(true);
      if (img.defaceMask) expect(img.defaceMask).toMatch(/__Data\/deface_mask\.nii\.gz$/);
      if (img.anatomyMask) expect(img.anatomyMask).toMatch(/__Data\/fb_mask\.nii\.gz$/);
      for (const m of [img.defaceMask, img.anatomyMask]) if (m) expect(existsSync(join(root, 'OpenMind', m))).toBe(true);
    }
    expect(records.every((r) => typeof r['image_quality_score'] === 'number' && String(r['unique_id']).slice(0, 8) === String(r['image_path']).slice(0, 8))).toBe(true);
  });

  it('should vary orientation and spacing, including anisotropic and non-RAS grids', () => {
    const orientations = new Set(manifest.images.map((i) => i.orientation));
    expect([...orientations].some((o) => o !== 'RAS')).toBe(true);
    expect(manifest.images.some((i) => Math.max(...i.spacing) / Math.min(...i.spacing) >= 1.5)).toBe(true);
    expect(new Set(manifest.images.map((i) => i.modality))).toEqual(new Set(['T1w', 'T2w', 'FLAIR', 'MD']));
  });

  it('should zero the face of defaced images exactly where the deface mask is 1', async () => {
    const defaced = manifest.images.filter((i) => i.defaced);
    expect(defaced.length).toBeGreaterThan(0);
    for (const rec of defaced) {
      const img = await readNifti(join(root, 'OpenMind', rec.imagePath));
      const mask = await readNifti(join(root, 'OpenMind', rec.defaceMask!));
      expect(mask.shape).toEqual(img.shape);
      expect(mask.affine).toEqual(img.affine);
      let inMask = 0;
      for (let i = 0; i < img.data.length; i++) {
        if (mask.data[i]) {
          inMask++;
          expect(img.data[i]).toBe(0);
        }
      }
      expect(inMask).toBeGreaterThan(0);
    }
  });

  it('should keep signal only inside the anatomy mask of brain-extracted images', async () => {
    const extracted = manifest.images.filter((i) => i.brainExtracted && i.anatomyMask);
    expect(extracted.length).toBeGreaterThan(0);
    for (const rec of extracted) {
      const img = await readNifti(join(root, 'OpenMind', rec.imagePath));
      const anat = await readNifti(join(root, 'OpenMind', rec.anatomyMask!));
      let inside = 0;
      for (let i = 0; i < img.data.length; i++) {
        if (!anat.data[i]) expect(img.data[i]).toBe(0);
        else inside++;
      }
      // The brain is a sizeable part of the field of view, not a sliver.
      expect(inside / img.data.length).toBeGreaterThan(0.05);
    }
  });

  it('should render the textbook tissue orderings (T1w: WM > GM > CSF; FLAIR: lesions brightest)', () => {
    const rng = new Rng(5);
    const anatomy = randomAnatomy(rng, { fovMm: 40, lesions: 3 });
    const grid = makeGrid(40, [1, 1, 1], 'LPS');
    const labels = renderLabels(anatomy, grid);
    const mean = (data: Float32Array, label: number) => {
      let s = 0;
      let n = 0;
      labels.forEach((l, i) => {
        if (l === label) {
          s += data[i]!;
          n++;
        }
      });
      return s / n;
    };
    const opts = { noise: 0.02, bias: 0, gain: 1000, brainExtracted: false, faceMask: undefined };
    const t1 = renderContrast(labels, grid, 'T1w', rng, opts);
    const flair = renderContrast(labels, grid, 'FLAIR', rng, opts);
    expect(mean(t1, Tissue.WhiteMatter)).toBeGreaterThan(mean(t1, Tissue.GreyMatter));
    expect(mean(t1, Tissue.GreyMatter)).toBeGreaterThan(mean(t1, Tissue.Csf));
    expect(mean(flair, Tissue.Lesion)).toBeGreaterThan(mean(flair, Tissue.WhiteMatter));
    expect(mean(flair, Tissue.Lesion)).toBeGreaterThan(mean(flair, Tissue.Ventricle));
    // The lesion task's lowered contrast keeps only part of the lesion-to-WM step (same noise draws).
    const faint = renderContrast(labels, grid, 'FLAIR', new Rng(9), { ...opts, noise: 0, lesionContrast: 0.4 });
    const full = renderContrast(labels, grid, 'FLAIR', new Rng(9), { ...opts, noise: 0 });
    const step = (img: Float32Array) => mean(img, Tissue.Lesion) - mean(img, Tissue.WhiteMatter);
    expect(step(faint) / step(full)).toBeGreaterThan(0.3);
    expect(step(faint) / step(full)).toBeLessThan(0.5);
  });
});

describe('generateLesionDataset', () => {
  it('should write an nnU-Net raw dataset whose labels match their images and contain lesions', async () => {
    const m = await generateLesionDataset({ out: join(work, 'nnUNet_raw'), cases: 3, seed: 2, sizeMm: 24 });
    const json = JSON.parse(readFileSync(join(m.dir, 'dataset.json'), 'utf8'));
    expect(json).toMatchObject({ channel_names: { '0': 'FLAIR' }, labels: { background: 0, lesion: 1 }, numTraining: 3, file_ending: '.nii.gz' });
    expect(readdirSync(join(m.dir, 'imagesTr')).sort()).toEqual(['synthlesion_000_0000.nii.gz', 'synthlesion_001_0000.nii.gz', 'synthlesion_002_0000.nii.gz']);
    for (const c of m.cases) {
      const img = await readNifti(c.image);
      const lab = await readNifti(c.label);
      expect(lab.shape).toEqual(img.shape);
      expect(lab.affine).toEqual(img.affine);
      expect(lab.dtype).toBe('uint8');
      const values = new Set(lab.data);
      expect([...values].sort()).toEqual([0, 1]);
      let voxels = 0;
      for (const v of lab.data) voxels += v;
      expect(voxels).toBe(c.lesionVoxels);
    }
  });
});
