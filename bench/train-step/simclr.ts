// SimCLR on ResEnc: per image `pairs` (2) reference crops and 2 overlapping crops of the crop size (64³),
// augmented by the loader; all 2N crops through the encoder in one pass, every stage average-pooled into
// the projector (2048-wide), NT-Xent τ 0.5; SGD, clip 0.1. Reference: bench/train_step_simclr_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { simclrFactory } from '@openmind-ssl/ssl-simclr';
import { type MethodRow, normalValues, voxels } from './method-row.js';

const PAIRS = 2;

export const simclrRow: MethodRow = {
  name: 'simclr', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_simclr_ref.py',
  describe: `per image ${PAIRS} reference + ${PAIRS} overlapping 64³ crops (2·batch·${PAIRS} crops through the encoder); projector 2048; NT-Xent τ 0.5; SGD 1e-2 Nesterov, clip 0.1`,
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(simclrFactory, { config: { pairs: PAIRS }, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    const shape = [batch * PAIRS, 1, size, size, size] as const;
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => {
        const reference = { image: normalValues(batch * PAIRS * voxels(size), 2 * s), shape, crops: PAIRS };
        const overlap = { image: normalValues(batch * PAIRS * voxels(size), 2 * s + 1), shape, crops: PAIRS };
        return { image: reference.image, shape, views: { reference, overlap } };
      },
    };
  },
};
