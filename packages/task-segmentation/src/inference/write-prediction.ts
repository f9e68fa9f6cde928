import { createNiftiImage, type NiftiHeader, type NiftiInfo, writeNifti } from '@openmind-ssl/data';
import { OpenMindError } from '@openmind-ssl/core';
import type { RestoredPrediction } from './restore-geometry.js';

/**
 * Writes a restored prediction next to its input's geometry: the label map as a uint8 NIfTI with the
 * input's affine, header fields and qform/sform codes (as nnU-Net writes segmentations), and, when the
 * prediction has them, the probabilities as one float32 4-D NIfTI `[X, Y, Z, K]` (class k is volume k).
 *
 * @param reference the header of the input (its first channel file), from `readNiftiHeader`.
 * @param probabilitiesFile where to write the probabilities; required when the prediction has them.
 * @throws OpenMindError when the prediction's size differs from the reference's spatial shape.
 */
export async function writePrediction(
  file: string,
  prediction: RestoredPrediction,
  reference: NiftiInfo,
  probabilitiesFile?: string,
): Promise<void> {
  const spatial = reference.shape.slice(0, 3);
  const voxels = spatial.reduce((a, b) => a * b, 1);
  if (prediction.segmentation.length !== voxels) {
    throw new OpenMindError(`writePrediction "${file}": the prediction has ${prediction.segmentation.length} voxels, but the input's grid [${spatial.join(', ')}] has ${voxels}.`);
  }
  await writeNifti(file, image(prediction.segmentation, spatial, reference));
  if (prediction.probabilities && probabilitiesFile) {
    const K = prediction.probabilities.length / voxels;
    await writeNifti(probabilitiesFile, image(prediction.probabilities, [...spatial, K], reference));
  }
}

function image(data: Uint8Array | Float32Array, shape: number[], reference: NiftiInfo) {
  const header: NiftiHeader = { ...reference.header, sclSlope: 1, sclInter: 0, calMin: 0, calMax: 0, intentCode: 0, intentName: '' };
  const img = createNiftiImage(data, shape, { affine: reference.affine, spacing: [...reference.spacing.slice(0, 3), 1].slice(0, shape.length), header });
  // createNiftiImage gives a header without an sform an aligned one; keep the input's codes instead.
  img.header.qformCode = reference.header.qformCode;
  img.header.sformCode = reference.header.sformCode;
  return img;
}
