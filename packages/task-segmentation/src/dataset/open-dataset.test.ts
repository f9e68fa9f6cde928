import { readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';
import { describe, expect, it } from 'vitest';
import { makeTestCases, writeTestDataset } from '../testing/write-dataset.js';
import { loadRawCase } from './load-raw-case.js';
import { openSegmentationDataset } from './open-dataset.js';
import { segmentationTaskDataset } from './task-dataset.js';
import { validateSegmentationDataset } from './validate-dataset.js';

describe('openSegmentationDataset', () => {
  describe('having a two-channel dataset with an ignore label', () => {
    it('should list the cases sorted, read channels in order and keep the ignore label out of the classes', async () => {
      const cases = makeTestCases({ channels: 2, classes: 2, ignore: true, cases: 3 });
      const dir = await writeTestDataset({ channels: 2, classes: 2, ignore: true }, [...cases].reverse());
      const ds = await openSegmentationDataset(dir);
      expect(ds.cases.map((c) => c.id)).toEqual(['case_000', 'case_001', 'case_002']);
      expect(ds.json).toMatchObject({ channelNames: ['MR0', 'MR1'], ignoreLabel: 3, numClasses: 3, fileEnding: '.nii.gz' });
      const raw = await loadRawCase(ds, 'case_001');
      // Array order is the NIfTI order reversed: [Z, Y, X].
      expect(raw.shape).toEqual([2, 8, 10, 12]);
      expect(raw.fileShape).toEqual([12, 10, 8]);
      const n = 8 * 10 * 12;
      expect(Array.from(raw.image.subarray(n, 2 * n))).toEqual(Array.from(cases[1]!.channels[1]!));
      expect(Array.from(raw.label!)).toEqual(Array.from(cases[1]!.label));
      await expect(validateSegmentationDataset(ds)).resolves.toBeUndefined();
      const task = segmentationTaskDataset(ds);
      expect(task.inChannels).toBe(2);
      expect(task.outputs).toBe(3);
      expect((await task.read('case_002')).target.length).toBe(n);
      await rm(dir, { recursive: true });
    });
  });

  describe('having bad input', () => {
    it('should name the case and file when a label file is missing', async () => {
      const dir = await writeTestDataset();
      await unlink(join(dir, 'labelsTr', 'case_001.nii.gz'));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/case "case_001" has images but its label file ".*labelsTr\/case_001\.nii\.gz" is missing/);
      await rm(dir, { recursive: true });
    });

    it('should name the case and file when a channel file is missing', async () => {
      const dir = await writeTestDataset({ channels: 2 });
      await unlink(join(dir, 'imagesTr', 'case_002_0001.nii.gz'));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/case "case_002" must have channel 1 \("MR1"\) of 2 as ".*case_002_0001\.nii\.gz", but the file is missing/);
      await rm(dir, { recursive: true });
    });

    it('should name the case and file when the label has another shape or affine', async () => {
      const dir = await writeTestDataset();
      const label = join(dir, 'labelsTr', 'case_000.nii.gz');
      await writeNifti(label, createNiftiImage(new Uint8Array(12 * 10 * 9), [12, 10, 9]));
      const ds = await openSegmentationDataset(dir);
      await expect(loadRawCase(ds, 'case_000')).rejects.toThrow(/case "case_000": label file ".*case_000\.nii\.gz" must be on the image's grid, shape \[12, 10, 8\], but got shape \[12, 10, 9\]/);
      await writeNifti(label, createNiftiImage(new Uint8Array(12 * 10 * 8), [12, 10, 8], { spacing: [1, 1, 1.5] }));
      await expect(validateSegmentationDataset(ds)).rejects.toThrow(/case "case_000": label file .* must be on the image's grid, affine/);
      await rm(dir, { recursive: true });
    });

    it('should name the case, file and value when a label is not declared', async () => {
      const [c0, ...rest] = makeTestCases();
      c0!.label[300] = 4;
      const dir = await writeTestDataset({}, [c0!, ...rest]);
      const ds = await openSegmentationDataset(dir);
      await expect(loadRawCase(ds, 'case_000')).rejects.toThrow(/case "case_000": label file ".*case_000\.nii\.gz" must hold only the label values declared in dataset\.json \(0, 1\), but voxel 300 is 4/);
      await rm(dir, { recursive: true });
    });

    it('should refuse a dataset.json whose numTraining or labels are wrong', async () => {
      const dir = await writeTestDataset();
      const file = join(dir, 'dataset.json');
      const json = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...json, numTraining: 5 }));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/numTraining must equal the number of labelled cases, 3, but it is 5/);
      await writeFile(file, JSON.stringify({ ...json, labels: { background: 0, a: 2 } }));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/labels must be consecutive integers 0\.\.1/);
      await writeFile(file, JSON.stringify({ ...json, labels: { background: 0, a: 1, ignore: 5 } }));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/labels\["ignore"\] must be the largest value, 2/);
      await writeFile(file, JSON.stringify({ ...json, labels: { background: 0, a: [1, 2] } }));
      await expect(openSegmentationDataset(dir)).rejects.toThrow(/region-based labels are not supported/);
      await rm(dir, { recursive: true });
    });
  });
});
