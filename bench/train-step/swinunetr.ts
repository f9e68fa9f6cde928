// SwinUNETR's pre-training on ResEnc: two views of each image, each rotated by k·90° in its (Y, Z) plane and
// cut out (noise boxes, boxes of another sample) inside the step on the host, as nnssl does it in its
// train step; encoder, rotation head (token 0), contrastive head (token 1, 512), reconstruction head (4
// upsamplings to the patch); loss = L1 of the rotated uncut image + contrast (τ 0.5) + rotation CE; SGD,
// clip 12. Reference: bench/train_step_swinunetr_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { swinunetrFactory } from '@openmind-ssl/ssl-swinunetr';
import { type MethodRow, normalValues, voxels } from './method-row.js';

export const swinunetrRow: MethodRow = {
  name: 'swinunetr', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_swinunetr_ref.py',
  describe: '2 rotated and cut-out views per image (host side, in the step) through the encoder (2·batch patches); rotation, contrastive and reconstruction heads; L1 + contrast + rotation CE; SGD 1e-2 Nesterov, clip 12',
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(swinunetrFactory, { config: {}, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => ({ image: normalValues(batch * voxels(size), s), shape: [batch, 1, size, size, size] }),
    };
  },
};
