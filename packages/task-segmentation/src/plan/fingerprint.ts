import { boundingBox } from '@openmind-ssl/data';
import type { Vec3 } from '../contract.js';
import { loadRawCase } from '../dataset/load-raw-case.js';
import type { SegmentationDataset } from '../dataset/open-dataset.js';
import { percentile } from './target-spacing.js';

/** What planning needs to know about a dataset (nnU-Net's `dataset_fingerprint.json`, the parts used). */
export interface SegmentationFingerprint {
  ids: string[];
  /** Spacing per case in array-axis order (NIfTI axes reversed). */
  spacings: Vec3[];
  /** Spatial shape per case, array-axis order. */
  shapes: Vec3[];
  /** Shape per case after cropping to the non-zero region. */
  shapesAfterCrop: Vec3[];
  /** Median over cases of (voxels after cropping / voxels before). */
  medianRelativeSizeAfterCropping: number;
}

/**
 * Reads every case (checking it, see `loadRawCase`) and records its spacing, shape and non-zero bounding
 * box, as nnU-Net's fingerprint extractor does.
 * @param onCase called after each case with (index + 1, total, id).
 */
export async function extractSegmentationFingerprint(
  dataset: SegmentationDataset,
  onCase?: (done: number, total: number, id: string) => void,
): Promise<SegmentationFingerprint> {
  const fp: SegmentationFingerprint = { ids: [], spacings: [], shapes: [], shapesAfterCrop: [], medianRelativeSizeAfterCropping: 1 };
  const relative: number[] = [];
  for (const [i, c] of dataset.cases.entries()) {
    const raw = await loadRawCase(dataset, c.id);
    const [C, d0, d1, d2] = raw.shape;
    const n = d0 * d1 * d2;
    const nonzero = new Uint8Array(n);
    for (let ch = 0; ch < C; ch++) for (let v = 0; v < n; v++) if (raw.image[ch * n + v] !== 0) nonzero[v] = 1;
    // Filling holes cannot move a bounding box, so the plain non-zero box equals nnU-Net's.
    const box = boundingBox(nonzero, [d0, d1, d2]);
    const cropped: Vec3 = box ? [box[0][1] - box[0][0], box[1][1] - box[1][0], box[2][1] - box[2][0]] : [0, 0, 0];
    fp.ids.push(c.id);
    fp.spacings.push(raw.spacing);
    fp.shapes.push([d0, d1, d2]);
    fp.shapesAfterCrop.push(cropped);
    relative.push((cropped[0] * cropped[1] * cropped[2]) / n);
    onCase?.(i + 1, dataset.cases.length, c.id);
  }
  fp.medianRelativeSizeAfterCropping = percentile(relative, 50);
  return fp;
}
