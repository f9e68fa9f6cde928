import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti.js';
import { writeNifti } from '../nifti/write-nifti.js';
import type { SynthOpenMindManifest } from '../synth/synth-openmind.js';
import { generateSyntheticOpenMind } from '../synth/synth-openmind.js';
import { generateLesionDataset } from '../synth/synth-nnunet.js';
import { indexDataset } from './index-dataset.js';
import { toIndependentImages } from './pretrain-data.js';
import { readPretrainData } from './read-pretrain-data.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-index-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function counts(images: SynthOpenMindManifest['images']) {
  const out: Record<string, Record<string, number>> = {};
  for (const i of images) {
    out[i.dataset] ??= {};
    out[i.dataset]![i.modality] = (out[i.dataset]![i.modality] ?? 0) + 1;
  }
  return out;
}

describe('indexDataset', () => {
  const root = join(work, 'synth');
  let manifest: SynthOpenMindManifest;
  beforeAll(async () => {
    manifest = await generateSyntheticOpenMind({ out: root, subjects: 7, seed: 4, sizeMm: 20, compressionLevel: 1 });
  });

  describe('having a synthetic OpenMind root', () => {
    it('should count datasets, subjects, sessions and modalities as generated', async () => {
      const r = await indexDataset(root, { verify: true });
      expect(r.layout).toBe('openmind');
      expect(r.problems).toEqual([]);
      const got = Object.fromEntries(Object.entries(r.summary.datasets).map(([k, c]) => [k, c.modalities]));
      expect(got).toEqual(counts(manifest.images));
      expect(r.summary.total.images).toBe(manifest.images.length);
      expect(r.summary.total.subjects).toBe(7);
      const sessions = new Set(manifest.images.map((i) => `${i.dataset}/${i.subject}/${i.session}`));
      expect(r.summary.total.sessions).toBe(sessions.size);
      expect(r.summary.total.anonymizationMasks).toBe(manifest.images.filter((i) => i.defaceMask).length);
      expect(r.summary.total.anatomyMasks).toBe(manifest.images.filter((i) => i.anatomyMask).length);
    });

    it('should link each image to its own deface and anatomy masks', async () => {
      const r = await indexDataset(root);
      const byPath = new Map(toIndependentImages(r.collection).map((i) => [i.image_path, i]));
      for (const rec of manifest.images) {
        const img = byPath.get(join(root, 'OpenMind', rec.imagePath))!;
        expect(img.associated_masks.anonymization_mask).toBe(rec.defaceMask ? join(root, 'OpenMind', rec.defaceMask) : null);
        expect(img.associated_masks.anatomy_mask).toBe(rec.anatomyMask ? join(root, 'OpenMind', rec.anatomyMask) : null);
        expect(img.image_modality).toBe(rec.modality);
        expect(img.session_id).toBe(rec.session);
      }
    });

    it('should keep exactly the images at or under the IQS threshold, of the chosen modalities', async () => {
      const r = await indexDataset(root, { iqsMax: 2.5, modalities: ['T1w', 'FLAIR'] });
      const expected = manifest.images.filter((i) => i.imageQualityScore <= 2.5 && (i.modality === 'T1w' || i.modality === 'FLAIR'));
      expect(r.summary.total.images).toBe(expected.length);
      expect(r.filteredOut).toBe(manifest.images.length - expected.length);
      expect(toIndependentImages(r.collection).map((i) => i.image_path).sort()).toEqual(expected.map((i) => join(root, 'OpenMind', i.imagePath)).sort());
    });

    it('should write pretrain_data.json that reads back to the same collection', async () => {
      const out = join(work, 'pretrain_data.json');
      const r = await indexDataset(root, { out });
      const back = await readPretrainData(out);
      expect(back).toEqual(JSON.parse(JSON.stringify(r.collection)));
    });
  });

  describe('having bad files', () => {
    const badRoot = join(work, 'bad');
    beforeAll(async () => {
      await generateSyntheticOpenMind({ out: badRoot, subjects: 4, seed: 9, sizeMm: 20, compressionLevel: 1 });
    });

    it('should report and skip a bad image, drop a bad mask, and still write the rest', async () => {
      const m = JSON.parse(readFileSync(join(badRoot, 'synth_manifest.json'), 'utf8')) as SynthOpenMindManifest;
      const victim = m.images.find((i) => !i.defaceMask && !i.anatomyMask)!;
      const masked = m.images.find((i) => i.defaceMask)!;
      const victimPath = join(badRoot, 'OpenMind', victim.imagePath);
      const maskPath = join(badRoot, 'OpenMind', masked.defaceMask!);
      writeFileSync(victimPath, Buffer.from('not a nifti at all, just text'.repeat(20)));
      truncateSync(maskPath, 30);
      const out = join(work, 'bad-pretrain.json');
      const r = await indexDataset(badRoot, { out, verify: true });
      expect(r.problems.map((p) => p.path).sort()).toEqual([maskPath, victimPath].sort());
      expect(r.problems.find((p) => p.path === victimPath)!.reason).toMatch(/sizeof_hdr must be 348/);
      expect(r.problems.find((p) => p.path === maskPath)!.reason).toMatch(/gzip/);
      expect(r.summary.total.images).toBe(m.images.length - 1);
      const img = toIndependentImages(await readPretrainData(out)).find((i) => i.image_path === join(badRoot, 'OpenMind', masked.imagePath))!;
      expect(img.associated_masks.anonymization_mask).toBeNull();
    });

    it('should report NaN voxels when verifying', async () => {
      const dir = join(work, 'nan');
      const m = await generateSyntheticOpenMind({ out: dir, subjects: 3, seed: 1, sizeMm: 20, compressionLevel: 1 });
      const rec = m.images.find((i) => i.dtype === 'float32')!;
      const p = join(dir, 'OpenMind', rec.imagePath);
      const img = await readNifti(p);
      img.data[10] = Number.NaN;
      await writeNifti(p, img);
      const r = await indexDataset(dir, { verify: true });
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]!.reason).toMatch(/1 NaN and 0 infinite voxel/);
    });

    it('should write nothing, and keep an older output, when no valid image remains', async () => {
      const dir = join(work, 'all-bad');
      const m = await generateSyntheticOpenMind({ out: dir, subjects: 1, seed: 2, sizeMm: 20, compressionLevel: 1 });
      for (const i of m.images) writeFileSync(join(dir, 'OpenMind', i.imagePath), '');
      const out = join(work, 'keep.json');
      writeFileSync(out, '{"old": true}');
      const err = await indexDataset(dir, { out }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenMindError);
      expect((err as Error).message).toMatch(/no valid image remains .* nothing was written/);
      expect(readFileSync(out, 'utf8')).toBe('{"old": true}');
      expect(readdirSync(work).filter((f) => f.includes('.tmp'))).toEqual([]);
    });
  });

  describe('having a plain NIfTI folder', () => {
    it('should index BIDS-like folders and nnU-Net image folders without metadata', async () => {
      const plain = join(work, 'plain');
      await generateSyntheticOpenMind({ out: plain, subjects: 3, seed: 5, sizeMm: 20, compressionLevel: 1 });
      const r = await indexDataset(join(plain, 'OpenMind'), { collectionName: 'Plain' });
      expect(r.layout).toBe('folder');
      expect(r.collection.collection_name).toBe('Plain');
      expect(Object.keys(r.summary.datasets)).toEqual(['ds900001', 'ds900002', 'ds900003']);
      // MD maps live in __Data folders, which hold masks for the folder layout, so they are not images here.
      expect(r.summary.total.modalities['MD']).toBeUndefined();
      expect(r.summary.total.subjects).toBe(3);
      const anyMasked = toIndependentImages(r.collection).some((i) => i.associated_masks.anonymization_mask?.endsWith('deface_mask.nii.gz'));
      expect(anyMasked).toBe(true);

      const nn = await generateLesionDataset({ out: join(work, 'nn'), cases: 2, seed: 1, sizeMm: 20 });
      const r2 = await indexDataset(join(nn.dir, 'imagesTr'));
      expect(r2.summary.total.images).toBe(2);
      expect(Object.keys(r2.summary.total.modalities)).toEqual(['unknown']);
      expect(existsSync(join(nn.dir, 'imagesTr', 'pretrain_data.json'))).toBe(false);
    });
  });
});
