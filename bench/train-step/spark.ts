// SparK on ResEnc: per step the method draws its cell mask, masks the input, runs the encoder sparsely
// (every conv and pooling masked, norms over visible voxels), densifies (masked norm, mask tokens, 3×3×3
// projections), decodes, MSE over hidden voxels, backward, clip 12, SGD. 8³ cells at 64³ leave the 4³
// bottleneck coarser than the 8³ grid, dense in both implementations (as nnssl's 16³ cells at 160³).
// Reference: bench/train_step_spark_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { sparkFactory } from '@openmind-ssl/ssl-spark';
import { type MethodRow, normalValues, voxels } from './method-row.js';

export const sparkRow: MethodRow = {
  name: 'spark', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_spark_ref.py',
  describe: 'SparK: sparse ResEnc encoder on 25 % of 8³ cells, densify (masked norm, mask tokens, 3×3×3 projections), U-Net decoder; MSE over hidden voxels; SGD 1e-2 Nesterov, clip 12',
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(sparkFactory, { config: { blockSize: 8 }, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    const shape = [batch, 1, size, size, size] as const;
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => ({ image: normalValues(batch * voxels(size), s), shape }),
    };
  },
};
