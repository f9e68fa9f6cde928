import { fillHoles } from './fill-holes.js';
import { voxelCount, type Shape3 } from './volume.js';

/** Half-open index range `[start, end)` per spatial axis. */
export type BBox = [[number, number], [number, number], [number, number]];

/** Label written into masks where the cropped image is outside its (hole-filled) non-zero region. */
export const OUTSIDE_NONZERO_LABEL = -1;

/** What {@link cropToNonzero} returns. */
export interface CropResult {
  /** `[C, ...shape]` cropped image. */
  data: Float32Array;
  /** Spatial shape after cropping. */
  shape: Shape3;
  /** The masks, cropped, with −1 where they were 0 and the image is outside its non-zero region. */
  masks: Int8Array[];
  /** The crop, in the input's voxel indices. */
  bbox: BBox;
}

/**
 * Crops an image and its masks to the bounding box of the image's non-zero voxels, as nnU-Net's
 * `crop_to_nonzero`: non-zero is any channel ≠ 0, holes are filled (6-connected, like scipy's
 * `binary_fill_holes`), masks are cut with the same box and get {@link OUTSIDE_NONZERO_LABEL} where they
 * are 0 outside the filled region. The masks stay voxel-aligned with the image.
 *
 * @returns null when the image has no non-zero voxel.
 */
export function cropToNonzero(data: Float32Array, channels: number, shape: Shape3, masks: Int8Array[]): CropResult | null {
  const n = voxelCount(shape);
  const nz = new Uint8Array(n);
  for (let c = 0; c < channels; c++) {
    const off = c * n;
    for (let i = 0; i < n; i++) if (data[off + i] !== 0) nz[i] = 1;
  }
  const filled = fillHoles(nz, shape);
  const bbox = boundingBox(filled, shape);
  if (!bbox) return null;
  const newShape: Shape3 = [bbox[0][1] - bbox[0][0], bbox[1][1] - bbox[1][0], bbox[2][1] - bbox[2][0]];
  const outData = new Float32Array(channels * voxelCount(newShape));
  for (let c = 0; c < channels; c++) cropInto(data.subarray(c * n, (c + 1) * n), shape, bbox, outData, c * voxelCount(newShape));
  const croppedMask = new Uint8Array(voxelCount(newShape));
  cropInto(filled, shape, bbox, croppedMask, 0);
  const outMasks = masks.map((m) => {
    const cm = new Int8Array(croppedMask.length);
    cropInto(m, shape, bbox, cm, 0);
    for (let i = 0; i < cm.length; i++) if (cm[i] === 0 && croppedMask[i] === 0) cm[i] = OUTSIDE_NONZERO_LABEL;
    return cm;
  });
  return { data: outData, shape: newShape, masks: outMasks, bbox };
}

/** Bounding box of the set voxels, or null when there are none. */
export function boundingBox(mask: Uint8Array, shape: Shape3): BBox | null {
  const [n0, n1, n2] = shape;
  const lo = [n0, n1, n2];
  const hi = [-1, -1, -1];
  for (let i = 0; i < n0; i++) {
    for (let j = 0; j < n1; j++) {
      const row = (i * n1 + j) * n2;
      for (let k = 0; k < n2; k++) {
        if (mask[row + k] === 0) continue;
        if (i < lo[0]!) lo[0] = i;
        if (i > hi[0]!) hi[0] = i;
        if (j < lo[1]!) lo[1] = j;
        if (j > hi[1]!) hi[1] = j;
        if (k < lo[2]!) lo[2] = k;
        if (k > hi[2]!) hi[2] = k;
      }
    }
  }
  if (hi[0]! < 0) return null;
  return [[lo[0]!, hi[0]! + 1], [lo[1]!, hi[1]! + 1], [lo[2]!, hi[2]! + 1]];
}

/** Copies the `bbox` region of a `shape` volume into `out` starting at `offset`. */
function cropInto(src: ArrayLike<number>, shape: Shape3, bbox: BBox, out: { [i: number]: number }, offset: number): void {
  const [, n1, n2] = shape;
  let o = offset;
  for (let i = bbox[0][0]; i < bbox[0][1]; i++) {
    for (let j = bbox[1][0]; j < bbox[1][1]; j++) {
      const row = (i * n1 + j) * n2;
      for (let k = bbox[2][0]; k < bbox[2][1]; k++) out[o++] = src[row + k]!;
    }
  }
}
