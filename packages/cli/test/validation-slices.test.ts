// The fine-tuning report's validation slices: the slice goes through the largest reference lesion, and
// every green (reference) / red (prediction) contour pixel lies on that label map's boundary, and no
// boundary pixel is left undrawn.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNiftiImage, makeGrid, writeNifti } from '@openmind-ssl/data';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { axialAxis, axialLayout, CONTOUR_COLOURS, writeValidationSlices } from '../src/report/validation-slices.js';

const N = 24;
type Ball = { c: [number, number, number]; r: number };

/** A label volume (x fastest) with 1 inside any of the balls (voxel coordinates). */
function balls(list: Ball[], label = 1): Uint8Array {
  const out = new Uint8Array(N * N * N);
  for (let z = 0; z < N; z++) for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
    if (list.some(({ c, r }) => Math.hypot(x - c[0], y - c[1], z - c[2]) <= r)) out[x + N * (y + N * z)] = label;
  }
  return out;
}

async function writeCase(dir: string, orientation: string, reference: Uint8Array, prediction: Uint8Array) {
  const grid = makeGrid(N, [1, 1, 1], orientation);
  const image = Float32Array.from(reference, (v, i) => 100 + 50 * v + (i % 7));
  const files = { id: `case_${orientation}`, image: join(dir, `${orientation}_0000.nii.gz`), reference: join(dir, `${orientation}_ref.nii.gz`), prediction: join(dir, `${orientation}_pred.nii.gz`) };
  await writeNifti(files.image, createNiftiImage(image, [N, N, N], { affine: grid.affine }));
  await writeNifti(files.reference, createNiftiImage(reference, [N, N, N], { affine: grid.affine }));
  await writeNifti(files.prediction, createNiftiImage(prediction, [N, N, N], { affine: grid.affine }));
  return { files, grid };
}

const colourOf = (png: PNG, p: number) => [png.data[p * 4]!, png.data[p * 4 + 1]!, png.data[p * 4 + 2]!];
const same = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v === b[i]);

/** Pixels whose voxel (by `voxel(r, c)`) is foreground and whose 4-neighbour is background or off the picture. */
function boundary(labels: Uint8Array, width: number, height: number, voxel: (r: number, c: number) => number): Set<number> {
  const out = new Set<number>();
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= height || c >= width ? -1 : labels[voxel(r, c)]!);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) {
    const v = at(r, c);
    if (v > 0 && [at(r - 1, c), at(r + 1, c), at(r, c - 1), at(r, c + 1)].some((n) => n !== v)) out.add(r * width + c);
  }
  return out;
}

describe('validation slices of the fine-tuning report', () => {
  it('should cut the RAS volume axially through the largest lesion and draw exactly the reference and predicted boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-slices-'));
    // A small lesion at z = 5 and a large one at z = 15; the prediction is the large one shifted by 2 voxels.
    const reference = balls([{ c: [6, 6, 5], r: 1.5 }, { c: [14, 10, 15], r: 4 }]);
    const prediction = balls([{ c: [16, 10, 15], r: 4 }]);
    const { files } = await writeCase(dir, 'RAS', reference, prediction);
    const [slice] = await writeValidationSlices(dir, [files], null);
    expect(slice!.axis).toBe(2);
    expect(slice!.index).toBe(15);
    expect(slice!.lesionVoxels).toBe(reference.reduce((a, v, i) => a + (v && Math.floor(i / (N * N)) > 9 ? 1 : 0), 0));
    const png = PNG.sync.read(readFileSync(join(dir, slice!.file)));
    const zoom = Math.round(256 / N);
    expect([png.width, png.height]).toEqual([N * zoom, N * zoom]);
    // RAS, radiological: column c shows x = N−1−⌊c/zoom⌋ (patient's right on the left), row r shows y = N−1−⌊r/zoom⌋ (anterior up).
    const voxel = (r: number, c: number) => (N - 1 - Math.floor(c / zoom)) + N * ((N - 1 - Math.floor(r / zoom)) + N * 15);
    const refEdge = boundary(reference, png.width, png.height, voxel);
    const predEdge = boundary(prediction, png.width, png.height, voxel);
    expect(refEdge.size).toBeGreaterThan(0);
    const drawnRef = new Set<number>();
    const drawnPred = new Set<number>();
    let coloured = 0;
    for (let p = 0; p < png.width * png.height; p++) {
      const rgb = colourOf(png, p);
      if (same(rgb, CONTOUR_COLOURS.reference) || same(rgb, CONTOUR_COLOURS.both)) drawnRef.add(p);
      if (same(rgb, CONTOUR_COLOURS.prediction) || same(rgb, CONTOUR_COLOURS.both)) drawnPred.add(p);
      if (!drawnRef.has(p) && !drawnPred.has(p) && !(rgb[0] === rgb[1] && rgb[1] === rgb[2])) coloured++;
    }
    expect(coloured, 'pixels neither grey nor a contour colour').toBe(0);
    expect([...drawnRef].sort()).toEqual([...refEdge].sort());
    expect([...drawnPred].sort()).toEqual([...predEdge].sort());
    // The two contours overlap in part (yellow) and differ in part (the shift).
    expect([...drawnRef].filter((p) => drawnPred.has(p)).length).toBeGreaterThan(0);
    expect([...drawnRef].filter((p) => !drawnPred.has(p)).length).toBeGreaterThan(0);
  });

  it('should find the axial axis of a sagittal (PIR) grid and draw its boundaries on that slice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-slices-'));
    const reference = balls([{ c: [12, 8, 12], r: 3 }]);
    const { files, grid } = await writeCase(dir, 'PIR', reference, new Uint8Array(N * N * N));
    expect(axialAxis(grid.affine)).toBe(1);
    const [slice] = await writeValidationSlices(dir, [files], null);
    expect([slice!.axis, slice!.index]).toEqual([1, 8]);
    const png = PNG.sync.read(readFileSync(join(dir, slice!.file)));
    const layout = axialLayout({ shape: [N, N, N], affine: grid.affine, spacing: [1, 1, 1] }, 1, 8);
    // Every displayed voxel lies in the slice y = 8.
    expect(Array.from(layout.voxelOf).every((v) => Math.floor(v / N) % N === 8)).toBe(true);
    const refEdge = boundary(reference, png.width, png.height, (r, c) => layout.voxelOf[r * png.width + c]!);
    const drawn = new Set<number>();
    for (let p = 0; p < png.width * png.height; p++) if (same(colourOf(png, p), CONTOUR_COLOURS.reference)) drawn.add(p);
    expect(drawn.size).toBeGreaterThan(0);
    expect([...drawn].sort()).toEqual([...refEdge].sort());
  });

  it('should refuse a prediction on another grid, naming both files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-slices-'));
    const { files } = await writeCase(dir, 'RAS', balls([{ c: [12, 12, 12], r: 3 }]), new Uint8Array(N * N * N));
    await writeNifti(files.prediction, createNiftiImage(new Uint8Array(8), [2, 2, 2]));
    await expect(writeValidationSlices(dir, [files], null)).rejects.toThrow(/RAS_pred\.nii\.gz has shape 2×2×2, but the reference .*RAS_ref\.nii\.gz has 24×24×24/);
  });
});
