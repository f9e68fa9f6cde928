import { describe, expect, it } from 'vitest';
import { preprocessClassificationCase, zscoreChannels } from './preprocess-classification.js';

const idx = (s: number, i: number, j: number, k: number) => (i * s + j) * s + k;

/** A 12³ volume, 2 mm spacing, with a bright 4³ "head" block at voxels [6, 10) on every axis. */
function offCentreHead(): { data: Float32Array; mask: Int8Array } {
  const s = 12;
  const data = new Float32Array(s ** 3);
  const mask = new Int8Array(s ** 3);
  for (let i = 6; i < 10; i++) for (let j = 6; j < 10; j++) for (let k = 6; k < 10; k++) { data[idx(s, i, j, k)] = 100 + i + j + k; mask[idx(s, i, j, k)] = 1; }
  return { data, mask };
}

describe('classification preprocessing', () => {
  it('resamples to 1 mm and centres the crop on the head bounding box, padding outside the image', () => {
    const { data } = offCentreHead();
    const out = preprocessClassificationCase({ data, shape: [1, 12, 12, 12], spacing: [2, 2, 2] }, null, { spacing: [1, 1, 1], cropSize: [16, 16, 16], normalization: 'head' }, 'x');
    expect(out.shape).toEqual([1, 16, 16, 16]);
    // 12 voxels at 2 mm → 24 at 1 mm; voxels [6, 10) of 12 map to about [12.5, 19.5) of 24, centre 15 or 16.
    for (const c of out.centre) expect(c).toBeGreaterThanOrEqual(15), expect(c).toBeLessThanOrEqual(16);
    // The crop runs from centre − 8 to centre + 8; 24 − (centre + 8) < 0 is never the case here, so no padding, and the head sits in the middle.
    const s = 16;
    expect(out.data[idx(s, 8, 8, 8)]).not.toBe(0);
    expect(out.data[idx(s, 0, 0, 0)]).toBe(0);
  });

  it('pads with zeros where the crop leaves the image', () => {
    const s = 6;
    const data = new Float32Array(s ** 3).fill(1);
    data[0] = 3;
    const out = preprocessClassificationCase({ data, shape: [1, s, s, s], spacing: [1, 1, 1] }, null, { spacing: [1, 1, 1], cropSize: [10, 10, 10], normalization: 'whole-volume' }, 'x');
    // Centre 3 → crop [-2, 8): two zero planes before, two after on each axis; whole-volume z-score includes them.
    const c = 10;
    const raw = new Float32Array(c ** 3);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) for (let k = 0; k < s; k++) raw[idx(c, i + 2, j + 2, k + 2)] = data[idx(s, i, j, k)]!;
    zscoreChannels(raw, 1, null);
    expect(Array.from(out.data)).toEqual(Array.from(raw));
  });

  it('z-scores over the head (mean 0, sd 1 inside, 0 outside) unless whole-volume is asked for', () => {
    const { data, mask } = offCentreHead();
    const opts = { spacing: [1, 1, 1] as [number, number, number], cropSize: [8, 8, 8] as [number, number, number] };
    const head = preprocessClassificationCase({ data, shape: [1, 12, 12, 12], spacing: [1, 1, 1] }, mask, { ...opts, normalization: 'head' }, 'x');
    const inside: number[] = [];
    let outside = 0;
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) for (let k = 0; k < 8; k++) {
      const v = head.data[idx(8, i, j, k)]!;
      if (i >= 2 && i < 6 && j >= 2 && j < 6 && k >= 2 && k < 6) inside.push(v); else outside += Math.abs(v);
    }
    expect(head.centre).toEqual([8, 8, 8]);
    const mean = inside.reduce((a, b) => a + b, 0) / inside.length;
    const sd = Math.sqrt(inside.reduce((a, b) => a + (b - mean) ** 2, 0) / inside.length);
    expect(inside).toHaveLength(64);
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(sd).toBeCloseTo(1, 5);
    expect(outside).toBe(0);
    const whole = preprocessClassificationCase({ data, shape: [1, 12, 12, 12], spacing: [1, 1, 1] }, mask, { ...opts, normalization: 'whole-volume' }, 'x');
    // Over all 512 voxels of the crop the background is no longer 0 but −mean/sd of the whole crop.
    const crop = new Float32Array(512);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) for (let k = 0; k < 8; k++) crop[idx(8, i, j, k)] = data[idx(12, i + 4, j + 4, k + 4)]!;
    zscoreChannels(crop, 1, null);
    expect(Array.from(whole.data)).toEqual(Array.from(crop));
    expect(whole.data[0]).toBeLessThan(-0.3);
  });

  it('centres on the mask rather than on other non-zero voxels', () => {
    const { data, mask } = offCentreHead();
    data[0] = 50; // a non-zero voxel outside the mask would pull the non-zero bounding box to the corner
    const withMask = preprocessClassificationCase({ data, shape: [1, 12, 12, 12], spacing: [1, 1, 1] }, mask, { spacing: [1, 1, 1], cropSize: [8, 8, 8], normalization: 'head' }, 'x');
    const noMask = preprocessClassificationCase({ data, shape: [1, 12, 12, 12], spacing: [1, 1, 1] }, null, { spacing: [1, 1, 1], cropSize: [8, 8, 8], normalization: 'head' }, 'x');
    expect(withMask.centre).toEqual([8, 8, 8]);
    expect(noMask.centre).toEqual([5, 5, 5]);
  });

  it('refuses an image with no head, naming the source', () => {
    expect(() => preprocessClassificationCase({ data: new Float32Array(8), shape: [1, 2, 2, 2], spacing: [1, 1, 1] }, null, { spacing: [1, 1, 1], cropSize: [2, 2, 2], normalization: 'head' }, 'img.nii.gz')).toThrow(/img\.nii\.gz: no head/);
  });
});
