import { OpenMindError } from '@openmind-ssl/core';
import {
  arrayGeometry, boundingBox, computeNewShape, type ImageVolume, readNifti, resampleData, resampleMask, type Shape3,
} from '@openmind-ssl/data';

/** How the intensities are z-scored. */
export type HeadNormalization = 'head' | 'whole-volume';

/** Options of {@link preprocessClassificationCase}. */
export interface ClassificationPreprocessing {
  /** Target spacing in mm (the reference: 1 mm isotropic). */
  spacing: Shape3;
  /** The fixed crop centred on the head (the reference: 160³). */
  cropSize: Shape3;
  /**
   * 'head' (default): mean and sd of each channel over the head voxels, voxels outside the head set to 0
   * (nnU-Net's masked z-score). 'whole-volume': over every voxel of the crop, which is what the reference
   * computes because its mask (`seg >= 0`) is all ones.
   */
  normalization: HeadNormalization;
}

/** A preprocessed classification input. */
export interface PreprocessedImage {
  /** [C, ...cropSize] float32, row-major. */
  data: Float32Array;
  shape: [number, number, number, number];
  /** The head's bounding box centre in the resampled image, where the crop is centred. */
  centre: Shape3;
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * The reference's preprocessing (finetune-spec §2.1): resample to `spacing` (cubic for images, linear
 * label resampling for the mask, both as nnU-Net), centre a `cropSize` block on the head — the bounding
 * box centre of the mask where there is one, else of the non-zero voxels of any channel — padding with 0
 * where it leaves the image, and z-score each channel (see {@link ClassificationPreprocessing.normalization}).
 * @param mask head mask on the image grid (> 0 is head), or null
 * @throws OpenMindError when neither the mask nor the image has a head voxel.
 */
export function preprocessClassificationCase(image: ImageVolume, mask: Int8Array | null, options: ClassificationPreprocessing, source: string): PreprocessedImage {
  const [channels, ...spatial] = image.shape;
  const shape = spatial as Shape3;
  const newShape = computeNewShape(shape, image.spacing, options.spacing);
  const data = resampleData(image.data, channels, shape, newShape, image.spacing, options.spacing);
  const n = count(newShape);
  // The head mask is made on the source grid and resampled like a label map: the non-zero voxels of a
  // cubic-resampled image would include its ringing far outside the head.
  const source0 = new Int8Array(count(shape));
  if (mask) {
    for (let i = 0; i < source0.length; i++) source0[i] = mask[i]! > 0 ? 1 : 0;
  } else {
    const m0 = source0.length;
    for (let c = 0; c < channels; c++) for (let i = 0; i < m0; i++) if (image.data[c * m0 + i] !== 0) source0[i] = 1;
  }
  const resampledHead = resampleMask(source0, shape, newShape, image.spacing, options.spacing);
  const head = Uint8Array.from(resampledHead, (v) => (v > 0 ? 1 : 0));
  const box = boundingBox(head, newShape);
  if (!box) throw new OpenMindError(`${source}: no head to centre the crop on (${mask ? 'the mask has no voxel > 0' : 'every voxel is 0'}).`);
  const centre = box.map(([lo, hi]) => Math.floor((lo + hi) / 2)) as Shape3;
  const crop = options.cropSize;
  const start = centre.map((c, a) => c - Math.floor(crop[a]! / 2));
  const m = count(crop);
  const out = new Float32Array(channels * m);
  const inHead = new Uint8Array(m);
  for (let i = 0; i < crop[0]; i++) {
    const si = start[0]! + i;
    if (si < 0 || si >= newShape[0]) continue;
    for (let j = 0; j < crop[1]; j++) {
      const sj = start[1]! + j;
      if (sj < 0 || sj >= newShape[1]) continue;
      for (let k = 0; k < crop[2]; k++) {
        const sk = start[2]! + k;
        if (sk < 0 || sk >= newShape[2]) continue;
        const src = (si * newShape[1] + sj) * newShape[2] + sk;
        const dst = (i * crop[1] + j) * crop[2] + k;
        inHead[dst] = head[src]!;
        for (let c = 0; c < channels; c++) out[c * m + dst] = data[c * n + src]!;
      }
    }
  }
  zscoreChannels(out, channels, options.normalization === 'head' ? inHead : null);
  return { data: out, shape: [channels, ...crop], centre };
}

/**
 * Z-scores each channel in place: statistics over the voxels where `mask` is 1 (all voxels when null),
 * population sd floored at 1e-8, float64 accumulation; with a mask, voxels outside it become 0.
 */
export function zscoreChannels(data: Float32Array, channels: number, mask: Uint8Array | null): void {
  const n = data.length / channels;
  for (let c = 0; c < channels; c++) {
    const ch = data.subarray(c * n, (c + 1) * n);
    let sum = 0;
    let k = 0;
    for (let i = 0; i < n; i++) if (!mask || mask[i]) { sum += ch[i]!; k++; }
    const mean = k ? sum / k : 0;
    let sq = 0;
    for (let i = 0; i < n; i++) if (!mask || mask[i]) sq += (ch[i]! - mean) ** 2;
    const sd = Math.max(k ? Math.sqrt(sq / k) : 0, 1e-8);
    for (let i = 0; i < n; i++) ch[i] = !mask || mask[i] ? (ch[i]! - mean) / sd : 0;
  }
}

/** Reads a case's channel files (and mask) into one [C, d0, d1, d2] volume on the first channel's grid. */
export async function readClassificationImage(files: readonly string[], maskFile?: string): Promise<{ image: ImageVolume; mask: Int8Array | null }> {
  let spatial: Shape3 | undefined;
  let spacing: Shape3 | undefined;
  const parts: Float32Array[] = [];
  for (const f of files) {
    const img = await readNifti(f);
    const g = arrayGeometry(img.shape, img.spacing, f);
    if (g.channels !== 1) throw new OpenMindError(`${f}: each channel file must be one 3-D volume, but it holds ${g.channels}.`);
    if (spatial && g.spatial.some((s, i) => s !== spatial![i])) throw new OpenMindError(`${f}: shape [${g.spatial.join(', ')}] differs from the case's first channel [${spatial.join(', ')}].`);
    spatial ??= g.spatial;
    spacing ??= g.spacing;
    parts.push(img.data instanceof Float32Array ? img.data : Float32Array.from(img.data));
  }
  const n = count(spatial!);
  const data = new Float32Array(parts.length * n);
  parts.forEach((p, c) => data.set(p.subarray(0, n), c * n));
  let mask: Int8Array | null = null;
  if (maskFile) {
    const m = await readNifti(maskFile);
    const g = arrayGeometry(m.shape, m.spacing, maskFile);
    if (g.spatial.some((s, i) => s !== spatial![i])) throw new OpenMindError(`${maskFile}: the mask's shape [${g.spatial.join(', ')}] must equal its image's [${spatial!.join(', ')}].`);
    mask = Int8Array.from(m.data.subarray(0, n), (v) => (v > 0 ? 1 : 0));
  }
  return { image: { data, shape: [parts.length, ...spatial!], spacing: spacing! }, mask };
}
