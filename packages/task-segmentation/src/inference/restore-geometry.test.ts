import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNiftiImage, readNiftiHeader, writeNifti } from '@openmind-ssl/data';
import { requirePython, runPython } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import type { CaseGeometry, Vec3 } from '../contract.js';
import { restoreGeometry } from './restore-geometry.js';
import { writePrediction } from './write-prediction.js';

// A file of shape [X, Y, Z] = [9, 7, 6]: row-major [Z, Y, X] = [6, 7, 9], transposed by [1, 2, 0] to
// [7, 9, 6], cropped to the box below ([5, 6, 6]).
const fileShape: Vec3 = [9, 7, 6];
const geometry: CaseGeometry = {
  fileShape,
  transpose: [1, 2, 0],
  shapeBeforeCrop: [7, 9, 6],
  cropBox: [[1, 6], [2, 8], [0, 6]],
  spacing: [1, 1, 1],
  resampledShape: [5, 6, 6],
};
const K = 3;
// The crop's labels: a deterministic pattern using every class.
const cropLabel = (i: number, j: number, k: number) => (i + 2 * j + k) % K;

function oneHotLogits(shape: Vec3): Float32Array {
  const n = shape[0] * shape[1] * shape[2];
  const out = new Float32Array(K * n);
  let v = 0;
  for (let i = 0; i < shape[0]; i++) for (let j = 0; j < shape[1]; j++) for (let k = 0; k < shape[2]; k++, v++) out[cropLabel(i, j, k) * n + v] = 2;
  return out;
}

/** Expected label of file voxel (x, y, z), by index arithmetic independent of the implementation. */
function expectedLabel(x: number, y: number, z: number): number {
  const rowMajor = [z, y, x];
  const t = geometry.transpose.map((p) => rowMajor[p]!);
  const inside = t.every((c, a) => c >= geometry.cropBox[a]![0] && c < geometry.cropBox[a]![1]);
  return inside ? cropLabel(t[0]! - geometry.cropBox[0][0], t[1]! - geometry.cropBox[1][0], t[2]! - geometry.cropBox[2][0]) : 0;
}

describe('restoreGeometry', () => {
  it('should paste the argmax at the crop box and undo the transpose, in file order', () => {
    const { segmentation } = restoreGeometry({ logits: oneHotLogits([5, 6, 6]), shape: [K, 5, 6, 6] }, geometry, null);
    let v = 0;
    for (let z = 0; z < 6; z++) for (let y = 0; y < 7; y++) for (let x = 0; x < 9; x++, v++) expect(segmentation[v], `voxel ${x},${y},${z}`).toBe(expectedLabel(x, y, z));
  });

  it('should resample the logits to the cropped shape first (anisotropic: in plane, then nearest along z)', () => {
    // The network grid is 3× finer along the last (3 mm) axis; a label constant along that axis survives.
    const aniso: CaseGeometry = { ...geometry, spacing: [1, 1, 3], resampledShape: [5, 6, 18] };
    const fine = new Float32Array(K * 5 * 6 * 18);
    const n = 5 * 6 * 18;
    for (let i = 0; i < 5; i++) for (let j = 0; j < 6; j++) for (let k = 0; k < 18; k++) fine[cropLabel(i, j, 0) * n + (i * 6 + j) * 18 + k] = 2;
    const { segmentation } = restoreGeometry({ logits: fine, shape: [K, 5, 6, 18] }, aniso, [1, 1, 1]);
    const rowMajorIndex = (t: number[]) => {
      const r = [0, 0, 0];
      geometry.transpose.forEach((p, a) => { r[p] = t[a]!; });
      return (r[0]! * 7 + r[1]!) * 9 + r[2]!;
    };
    for (let i = 0; i < 5; i++) for (let j = 0; j < 6; j++) for (let k = 0; k < 6; k++) {
      expect(segmentation[rowMajorIndex([i + 1, j + 2, k])]).toBe(cropLabel(i, j, 0));
    }
  });

  it('should give probabilities that sum to 1, background 1 outside the crop box', () => {
    const { probabilities } = restoreGeometry({ logits: oneHotLogits([5, 6, 6]), shape: [K, 5, 6, 6] }, geometry, null, true);
    const n = 9 * 7 * 6;
    for (let v = 0; v < n; v++) expect(probabilities![v]! + probabilities![n + v]! + probabilities![2 * n + v]!).toBeCloseTo(1, 6);
    expect(probabilities![0]).toBe(1); // file voxel (0,0,0) is outside the box (transposed row 0 < 1)
  });

  it('should refuse logits that are not on the resampled grid', () => {
    expect(() => restoreGeometry({ logits: new Float32Array(K * 8), shape: [K, 2, 2, 2] }, geometry, null)).toThrow(/resampled shape \[5, 6, 6\]/);
  });
});

const nibabel = requirePython(['nibabel', 'numpy']);

describe.skipIf(!nibabel)('writePrediction', () => {
  it('should write a uint8 label map that nibabel opens with the input\'s affine, shape and xform codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-seg-write-'));
    const input = join(dir, 'case_0000.nii.gz');
    const affine = [[0, 0, -2.5, 40], [1.2, 0, 0, -30], [0, -0.8, 0, 12.5], [0, 0, 0, 1]];
    const img = createNiftiImage(new Float32Array(9 * 7 * 6).fill(1), fileShape, { affine });
    img.header.qformCode = 1;
    img.header.sformCode = 4;
    await writeNifti(input, img);
    const { segmentation, probabilities } = restoreGeometry({ logits: oneHotLogits([5, 6, 6]), shape: [K, 5, 6, 6] }, geometry, null, true);
    await writePrediction(join(dir, 'case.nii.gz'), { segmentation, probabilities: probabilities! }, await readNiftiHeader(input), join(dir, 'case_probabilities.nii.gz'));
    const out = JSON.parse(runPython(['-c', `
import json, nibabel as nib, numpy as np
a = nib.load(${JSON.stringify(input)}); p = nib.load(${JSON.stringify(join(dir, 'case.nii.gz'))}); q = nib.load(${JSON.stringify(join(dir, 'case_probabilities.nii.gz'))})
print(json.dumps({'affine_equal': bool(np.allclose(a.affine, p.affine, atol=1e-5)), 'shape': list(p.shape), 'dtype': str(p.get_data_dtype()),
  'codes': [int(p.header['qform_code']), int(p.header['sform_code'])], 'qform_equal': bool(np.allclose(a.get_qform(), p.get_qform(), atol=1e-5)),
  'labels': np.asarray(p.dataobj).flatten(order='F').tolist(), 'prob_shape': list(q.shape), 'prob_sum': float(np.abs(q.get_fdata().sum(axis=3) - 1).max())}))
`]));
    expect(out.affine_equal).toBe(true);
    expect(out.qform_equal).toBe(true);
    expect(out.shape).toEqual(fileShape);
    expect(out.dtype).toBe('uint8');
    expect(out.codes).toEqual([1, 4]);
    expect(out.labels).toEqual([...segmentation]);
    expect(out.prob_shape).toEqual([...fileShape, K]);
    expect(out.prob_sum).toBeLessThan(1e-6);
  });
});
