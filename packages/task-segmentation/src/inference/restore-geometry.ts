import { OpenMindError } from '@openmind-ssl/core';
import { invertAxisOrder, resampleData, type ResampleOptions, transposeVolume } from '@openmind-ssl/data/browser';
import type { CaseGeometry, Vec3 } from '../contract.js';
import type { VolumeLogits } from './sliding-window.js';

/** nnU-Net's `resampling_fn_probabilities`: linear, nearest along a separate low-resolution axis. */
export const LOGIT_RESAMPLING: ResampleOptions = { order: 1, orderZ: 0, forceSeparateZ: null };

/** A prediction on the input file's voxel grid. */
export interface RestoredPrediction {
  /** Label per voxel in file order (x fastest), shape `geometry.fileShape`. */
  segmentation: Uint8Array;
  /** `[K, ...]` softmax probabilities per class, each in file order; background 1 outside the crop box. */
  probabilities?: Float32Array;
}

/**
 * Puts network logits back onto the input's grid as nnU-Net's
 * `convert_predicted_logits_to_segmentation_with_correct_shape`: resample the logits to the shape before
 * resampling (linear; separately along the low-resolution axis for anisotropic spacing, decided from the
 * plan's spacing and then the original), argmax, paste into the uncropped shape at the crop box (background
 * outside), and undo the transpose.
 *
 * Array order: the preprocessed grid is the row-major view of the file (NIfTI axes reversed, [Z, Y, X])
 * permuted by `geometry.transpose`; undoing both gives x-fastest voxels, i.e. NIfTI file order.
 *
 * @param planSpacing the spacing the network ran at (the plan's), or null when the plan does not resample.
 * @param withProbabilities also return softmax probabilities (nnU-Net's `--save_probabilities`).
 * @throws OpenMindError when the logits do not have the geometry's resampled shape or there are more than 255 classes.
 */
export function restoreGeometry(
  logits: VolumeLogits,
  geometry: CaseGeometry,
  planSpacing: Vec3 | null,
  withProbabilities = false,
): RestoredPrediction {
  const [K, ...grid] = logits.shape;
  if (grid.some((s, i) => s !== geometry.resampledShape[i])) {
    throw new OpenMindError(`restoreGeometry: the logits must have the resampled shape [${geometry.resampledShape.join(', ')}], but got [${grid.join(', ')}].`);
  }
  if (K > 255) throw new OpenMindError(`restoreGeometry: at most 255 classes fit a uint8 label map, but got ${K}.`);
  const box = geometry.cropBox;
  const cropShape: Vec3 = [box[0][1] - box[0][0], box[1][1] - box[1][0], box[2][1] - box[2][0]];
  const resampled = resampleData(logits.logits, K, geometry.resampledShape, cropShape, planSpacing ?? geometry.spacing, geometry.spacing, LOGIT_RESAMPLING);
  const cropVoxels = cropShape[0] * cropShape[1] * cropShape[2];

  const labels = new Uint8Array(cropVoxels);
  for (let v = 0; v < cropVoxels; v++) {
    let best = 0;
    let bestValue = resampled[v]!;
    for (let k = 1; k < K; k++) {
      const x = resampled[k * cropVoxels + v]!;
      if (x > bestValue) {
        bestValue = x;
        best = k;
      }
    }
    labels[v] = best;
  }
  const inverse = invertAxisOrder([...geometry.transpose]);
  const full = geometry.shapeBeforeCrop;
  const segmentation = transposeBack(paste(labels, 1, cropShape, full, box, 0), 1, full, inverse);
  if (!withProbabilities) return { segmentation };

  softmaxInPlace(resampled, K, cropVoxels);
  const probs = new Float32Array(K * full[0] * full[1] * full[2]);
  const n = full[0] * full[1] * full[2];
  for (let k = 0; k < K; k++) {
    const channel = paste(resampled.subarray(k * cropVoxels, (k + 1) * cropVoxels), 1, cropShape, full, box, k === 0 ? 1 : 0);
    probs.set(channel, k * n);
  }
  return { segmentation, probabilities: transposeBack(probs, K, full, inverse) };
}

/** Writes `[C, ...crop]` into a `[C, ...full]` array filled with `outside`, at the crop box. */
function paste<T extends Uint8Array | Float32Array>(crop: T, C: number, cropShape: Vec3, full: Vec3, box: CaseGeometry['cropBox'], outside: number): T {
  const out = new (crop.constructor as new (n: number) => T)(C * full[0] * full[1] * full[2]);
  if (outside !== 0) out.fill(outside);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < cropShape[0]; i++) {
      for (let j = 0; j < cropShape[1]; j++) {
        const src = ((c * cropShape[0] + i) * cropShape[1] + j) * cropShape[2];
        const dst = ((c * full[0] + box[0][0] + i) * full[1] + box[1][0] + j) * full[2] + box[2][0];
        out.set(crop.subarray(src, src + cropShape[2]), dst);
      }
    }
  }
  return out;
}

function transposeBack<T extends Uint8Array | Float32Array>(data: T, C: number, shape: Vec3, inverse: [number, number, number]): T {
  // transposeVolume copies element-wise with the array's own constructor, so a Uint8Array stays one.
  return transposeVolume(data as unknown as Float32Array, C, shape, inverse).data as unknown as T;
}

function softmaxInPlace(x: Float32Array, K: number, n: number): void {
  for (let v = 0; v < n; v++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, x[k * n + v]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(x[k * n + v]! - max);
    for (let k = 0; k < K; k++) x[k * n + v] = Math.exp(x[k * n + v]! - max) / sum;
  }
}
