// VolumeFusion on ResEnc: 2·B images per step, fused in pairs inside the step (10–39 boxes of 8–40 voxels,
// classes 0–4 with α = linspace(0, 1, 5)) into B network inputs; 5-class segmentation, CE + soft Dice over
// all classes; SGD, clip 12. Reference: bench/train_step_volume_fusion_ref.py (fuses inside its step too).
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { volumeFusionFactory } from '@openmind-ssl/ssl-volume-fusion';
import { type MethodRow, normalValues, voxels } from './method-row.js';

export const volumeFusionRow: MethodRow = {
  // batch = fused samples per step (the network's batch); the step reads twice as many images.
  name: 'volume-fusion', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_volume_fusion_ref.py',
  describe: '2·batch images fused in pairs inside the step (host side); ResEnc U-Net segments 5 classes; CE + soft Dice; SGD 1e-2 Nesterov, clip 12',
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(volumeFusionFactory, { config: {}, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => ({ image: normalValues(2 * batch * voxels(size), s), shape: [2 * batch, 1, size, size, size] }),
    };
  },
};
