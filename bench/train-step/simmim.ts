// SimMIM on Primus (nnssl's EvaMAE-recipe SimMIM): 75 % of the 8³ tokens replaced by a learned mask token
// before the position embedding, all tokens through the encoder, the patch decoder reconstructs; MSE over
// the voxels of masked tokens; AdamW 3e-4 (β 0.9/0.98, wd 5e-2), clip 1. Stochastic depth off, as the
// reference has none (as the MAE Primus rows). Reference: bench/train_step_simmim_ref.py.
import { primusFactory } from '@openmind-ssl/arch-primus';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { simmimFactory } from '@openmind-ssl/ssl-simmim';
import { type MethodRow, normalValues, voxels } from './method-row.js';

export const simmimRow: MethodRow = {
  name: 'simmim', preset: 'primus-tiny', size: 64, batch: 2, reference: 'train_step_simmim_ref.py',
  describe: 'Primus: 75 % of 8³ tokens replaced by the mask token, full encoder, patch decoder; MSE over masked voxels; AdamW 3e-4, clip 1; no stochastic depth',
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(simmimFactory, { config: { dropPathRate: 0 }, architecture: primusFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => ({ image: normalValues(batch * voxels(size), s), shape: [batch, 1, size, size, size] }),
    };
  },
};
