import type { CaseGeometry, SegmentationPlan } from '../contract.js';
import { loadCaseFiles } from '../dataset/load-raw-case.js';
import { preprocessImage } from './preprocess-case.js';

/**
 * Reads and preprocesses one unlabelled case for prediction exactly as training preprocessed its cases
 * (transpose, crop to non-zero, z-score, resample). `geometry` says how to go back: resample to
 * `geometry.cropBox` size, paste into `shapeBeforeCrop` at `cropBox`, undo `transpose`, reverse the axes to
 * the file's (i, j, k) order, and write with `geometry.affine`.
 * @param channelFiles one file per plan channel, in the plan's channel order.
 * @throws OpenMindError naming the file when the channels disagree in grid, or the count differs from the plan's.
 */
export async function preprocessForInference(
  channelFiles: readonly string[],
  plan: SegmentationPlan,
): Promise<{ image: Float32Array; shape: [number, number, number, number]; geometry: CaseGeometry }> {
  const raw = await loadCaseFiles({ id: channelFiles[0] ?? '(no files)', images: channelFiles });
  const p = preprocessImage(raw, plan);
  return { image: p.image, shape: p.shape, geometry: p.geometry };
}
