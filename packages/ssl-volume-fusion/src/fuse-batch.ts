import { type HostBatch, OpenMindError, type Rng } from '@openmind-ssl/core';
import { fuseVolumes } from './fuse-volumes.js';
import { drawFusionPlan, type FusionBox, type FusionSettings, mixingCoefficients } from './fusion-plan.js';

/** The fused samples of a batch: input [P, C, X, Y, Z], class map and α [P, X, Y, Z], and each pair's boxes. */
export interface FusedBatch {
  input: Float32Array;
  classMap: Int32Array;
  alpha: Float32Array;
  shape: [number, number, number, number, number];
  boxes: FusionBox[][];
}

/**
 * Fuses the images of a host batch in pairs as nnssl's `mix_batch` does with its 2·B loaded images: the
 * first half are the foregrounds, the second half the backgrounds (pair i = images i and P + i). Each
 * pair's boxes come from its own fork of `rng`, drawn in pair order.
 * @throws OpenMindError when the batch does not hold an even number (≥ 2) of images.
 */
export function fuseBatch(batch: HostBatch, settings: FusionSettings, rng: Rng): FusedBatch {
  const [n, c, x, y, z] = batch.shape;
  if (n < 2 || n % 2 !== 0) {
    throw new OpenMindError(`VolumeFusion: a batch must hold an even number of images (pairs of foreground and background), got ${n}; set the batch size (images per step) to twice the fused samples wanted`);
  }
  const pairs = n / 2;
  const per = c * x * y * z;
  const vox = x * y * z;
  const coefficients = mixingCoefficients(settings.classes);
  const out: FusedBatch = {
    input: new Float32Array(pairs * per), classMap: new Int32Array(pairs * vox), alpha: new Float32Array(pairs * vox),
    shape: [pairs, c, x, y, z], boxes: [],
  };
  for (let p = 0; p < pairs; p++) {
    const boxes = drawFusionPlan([x, y, z], settings, rng.fork());
    const fg = batch.image.subarray(p * per, (p + 1) * per);
    const bg = batch.image.subarray((pairs + p) * per, (pairs + p + 1) * per);
    const f = fuseVolumes(fg, bg, [c, x, y, z], boxes, coefficients);
    out.input.set(f.input, p * per);
    out.classMap.set(f.classMap, p * vox);
    out.alpha.set(f.alpha, p * vox);
    out.boxes.push(boxes);
  }
  return out;
}
