import { join } from 'node:path';
import { Rng } from '@openmind-ssl/core';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createNiftiImage, writeNifti } from '@openmind-ssl/data';
import {
  buildSegmentationNetwork, loadSegmentationModel, preprocessForInference, saveSegmentationModel, scratchAdaptationPlan, type SegmentationPlan,
  slidingWindowPredict, type VolumeLogits,
} from '@openmind-ssl/task-segmentation';

/** The scan's grid: NIfTI [X, Y, Z] and spacing (anisotropic, so resampling is exercised). */
export const SCAN_SHAPE = [22, 20, 14] as const;
export const SCAN_SPACING = [1, 1, 1.25] as const;
/** The fine-tuned network's patch: 16³ tiles of a ResEnc-tiny. */
export const PATCH: [number, number, number] = [16, 16, 16];

/**
 * A synthetic head: an ellipsoid of 'tissue' with a brighter sphere inside and a smooth bias, zero outside
 * (so cropping to non-zero applies), written as .nii.gz.
 */
export async function writeSyntheticScan(file: string, seed = 1): Promise<void> {
  const [X, Y, Z] = SCAN_SHAPE;
  const rng = new Rng(seed);
  const data = new Float32Array(X * Y * Z);
  for (let z = 0; z < Z; z++) {
    for (let y = 0; y < Y; y++) {
      for (let x = 0; x < X; x++) {
        const e = ((x - X / 2) / (X / 2 - 1)) ** 2 + ((y - Y / 2) / (Y / 2 - 1)) ** 2 + ((z - Z / 2) / (Z / 2 - 1)) ** 2;
        if (e > 1) continue;
        const lesion = ((x - 0.6 * X) ** 2 + (y - 0.45 * Y) ** 2 + (z - Z / 2) ** 2) < 12 ? 400 : 0;
        data[(z * Y + y) * X + x] = 300 + 2 * x - y + lesion + 20 * rng.normal();
      }
    }
  }
  const affine = [[-SCAN_SPACING[0], 0, 0, X / 2], [0, SCAN_SPACING[1], 0, -Y / 2], [0, 0, SCAN_SPACING[2], -Z / 2], [0, 0, 0, 1]];
  await writeNifti(file, createNiftiImage(data, [...SCAN_SHAPE], { affine }));
}

/** A one-channel, two-class segmentation plan on a fresh ResEnc-tiny, as `openmind finetune --from-scratch --arch resenc-tiny` plans it. */
export function tinyPlan(): SegmentationPlan {
  return {
    adaptationPlan: scratchAdaptationPlan(resencFactory, 'resenc-tiny', PATCH, 1),
    patchSize: PATCH,
    spacingMode: 'fixed',
    spacing: [1, 1, 1],
    transpose: [0, 1, 2],
    channelNames: ['T1'],
    normalization: ['zscore'],
    useMaskForNorm: [true],
    labels: { background: 0, lesion: 1 },
    numClasses: 2,
    ignoreLabel: null,
    batchDice: false,
    batchSize: 2,
    fileEnding: '.nii.gz',
  };
}

/** A fine-tuned checkpoint folder (checkpoint.json + model.safetensors) as `openmind finetune` writes it, He-initialised. */
export async function writeTinyCheckpoint(dir: string, seed = 7): Promise<void> {
  const plan = tinyPlan();
  const { network } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(seed), deepSupervision: false });
  await saveSegmentationModel(dir, network, { segmentationPlan: plan, deepSupervision: false });
  network.dispose();
}

/** Node's logits for the same scan and checkpoint: `openmind predict`'s preprocessing and sliding window. */
export async function nodeLogits(scanFile: string, checkpointDir: string, mirroring: boolean): Promise<VolumeLogits> {
  const { network, plan } = await loadSegmentationModel(checkpointDir, [resencFactory]);
  try {
    const pre = await preprocessForInference([scanFile], plan);
    return await slidingWindowPredict(pre.image, pre.shape, (x) => network.forward(x), { patchSize: plan.patchSize, mirrorAxes: mirroring ? [0, 1, 2] : [] });
  } finally {
    network.dispose();
  }
}

export const checkpointFiles = (dir: string) => [join(dir, 'checkpoint.json'), join(dir, 'model.safetensors')];
