import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Affine } from './affine.js';
import { affineZooms, qformAffine } from './affine.js';
import { createNiftiImage } from './create-nifti-image.js';
import type { NiftiDType, NiftiTypedArray } from './dtypes.js';
import { NIFTI_DTYPES } from './dtypes.js';
import { orientationCode } from './orientation.js';
import { readNifti } from './read-nifti.js';
import { writeNifti } from './write-nifti.js';

const work = mkdtempSync(join(tmpdir(), 'openmind-nifti-write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OBLIQUE: Affine = [
  [-0.9, 0.1, 0, 12.5],
  [0.05, 1.1, -0.2, -30],
  [0, 0.25, 2.4, 7],
  [0, 0, 0, 1],
];

function ramp(dtype: NiftiDType, n: number): NiftiTypedArray {
  const a = NIFTI_DTYPES[dtype].create(n);
  // Values that exercise sign and the full width of each type without overflowing it.
  const span = { uint8: 250, int8: 120, int16: 30000, uint16: 60000, int32: 2e9, uint32: 4e9, float32: 1e6, float64: 1e12 }[dtype];
  for (let i = 0; i < n; i++) {
    const t = (i * 7919) % n / n;
    const signed = dtype.startsWith('int') || dtype.startsWith('float');
    a[i] = dtype.startsWith('float') ? (t - 0.5) * span + 0.125 : Math.floor(signed ? (t - 0.5) * span : t * span);
  }
  return a;
}

describe('writeNifti', () => {
  describe.each(Object.keys(NIFTI_DTYPES) as NiftiDType[])('having dtype %s', (dtype) => {
    it.each([
      ['.nii.gz', true, 1],
      ['.nii', false, 1],
      ['.nii.gz', false, 2],
      ['.nii', true, 2],
    ] as const)('should round-trip a 4D volume as %s (little-endian %s, NIfTI-%i)', async (ext, littleEndian, version) => {
      const shape = [5, 4, 3, 2];
      const data = ramp(dtype, 5 * 4 * 3 * 2);
      const img = createNiftiImage(data, shape, { affine: OBLIQUE, spacing: [0, 0, 0, 2.5] });
      const file = join(work, `rt-${dtype}-${littleEndian}-${version}${ext}`);
      await writeNifti(file, img, { littleEndian, version });
      const back = await readNifti(file);
      expect(back.header.version).toBe(version);
      expect(back.header.littleEndian).toBe(littleEndian);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
      // NIfTI-1 stores the sform as float32.
      const tol = version === 1 ? 1e-5 : 1e-12;
      back.affine.flat().forEach((v, i) => expect(Math.abs(v - OBLIQUE.flat()[i]!)).toBeLessThanOrEqual(tol));
      expect(back.spacing[3]).toBe(2.5);
    });
  });

  it('should write gzip only when asked or when the name ends in .gz', async () => {
    const img = createNiftiImage(new Uint8Array(8), [2, 2, 2]);
    await writeNifti(join(work, 'plain.nii'), img);
    await writeNifti(join(work, 'forced.nii'), img, { gzip: true });
    expect(readFileSync(join(work, 'plain.nii')).subarray(0, 2)).not.toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(readFileSync(join(work, 'forced.nii'))).length).toBe(352 + 8);
    expect((await readNifti(join(work, 'forced.nii'))).shape).toEqual([2, 2, 2]);
  });

  it('should store the affine in the sform and its rotation and zooms in the qform', async () => {
    const img = createNiftiImage(new Float32Array(27), [3, 3, 3], { affine: OBLIQUE });
    const file = join(work, 'xform.nii');
    await writeNifti(file, img);
    const back = await readNifti(file);
    expect(back.header.sformCode).toBe(2);
    expect(back.affineSource).toBe('sform');
    // The qform cannot hold shear, but it keeps the zooms, the offset and the orientation.
    const q = qformAffine(back.header);
    affineZooms(q).forEach((z, i) => expect(z).toBeCloseTo(affineZooms(OBLIQUE)[i]!, 5));
    expect(q.map((r) => r[3])).toEqual(OBLIQUE.map((r) => r[3]));
    expect(orientationCode(q)).toBe(orientationCode(OBLIQUE));
  });

  it('should leave no temporary file behind and never a partial target when the write fails', async () => {
    const dir = mkdtempSync(join(work, 'atomic-'));
    const bad = createNiftiImage(new Float32Array(8), [2, 2, 2]);
    bad.shape = [2, 2, 3];
    await expect(writeNifti(join(dir, 'bad.nii.gz'), bad)).rejects.toThrow(/data must have 12 values/);
    await writeNifti(join(dir, 'good.nii.gz'), createNiftiImage(new Float32Array(8), [2, 2, 2]));
    expect(readdirSync(dir)).toEqual(['good.nii.gz']);
  });

  it('should keep scl_slope/scl_inter of the header when the data holds stored values', async () => {
    const raw = Int16Array.from([0, 1, 2, 3, -4, 5, 6, 7]);
    const img = createNiftiImage(raw, [2, 2, 2]);
    img.header = { ...img.header, sclSlope: 0.5, sclInter: 10 };
    const file = join(work, 'scaled.nii.gz');
    await writeNifti(file, img);
    const scaled = await readNifti(file);
    expect(scaled.dtype).toBe('float32');
    expect(Array.from(scaled.data)).toEqual([10, 10.5, 11, 11.5, 8, 12.5, 13, 13.5]);
    expect(scaled.header.sclSlope).toBe(1);
    const stored = await readNifti(file, { scale: false });
    expect(stored.dtype).toBe('int16');
    expect(Array.from(stored.data)).toEqual(Array.from(raw));
    // Writing the scaled image back keeps the values (its header now says slope 1).
    await writeNifti(join(work, 'scaled2.nii'), scaled);
    expect(Array.from((await readNifti(join(work, 'scaled2.nii'))).data)).toEqual(Array.from(scaled.data));
  });
});
