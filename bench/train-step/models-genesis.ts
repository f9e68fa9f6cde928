// Models Genesis on ResEnc: the workers' corrupted input and flipped target come as the views 'input' and
// 'target' (nnssl corrupts in its data loader too); the step is forward, MSE over all voxels, backward,
// clip 12, SGD. Reference: bench/train_step_models_genesis_ref.py.
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createSslMethod, Rng } from '@openmind-ssl/core';
import { modelsGenesisFactory } from '@openmind-ssl/ssl-models-genesis';
import { type MethodRow, normalValues, voxels } from './method-row.js';

export const modelsGenesisRow: MethodRow = {
  name: 'models-genesis', preset: 'resenc-small', size: 64, batch: 2, reference: 'train_step_models_genesis_ref.py',
  describe: 'ResEnc U-Net restores the corrupted input (views made by the loader); MSE over all voxels; SGD 1e-2 Nesterov, clip 12',
  async setup({ preset, size, batch }) {
    const patch: [number, number, number] = [size, size, size];
    const method = createSslMethod(modelsGenesisFactory, { config: {}, architecture: resencFactory, preset, inChannels: 1, patchSize: patch, rng: new Rng(0) });
    const shape = [batch, 1, size, size, size] as const;
    return {
      method, recipe: method.recipe({ epochs: 1000, iterationsPerEpoch: 250 }), params: method.network.parameters(), parameterCount: method.network.parameterCount(),
      batch: (s) => {
        const input = normalValues(batch * voxels(size), 2 * s);
        const target = normalValues(batch * voxels(size), 2 * s + 1);
        return { image: input, shape, views: { input: { image: input, shape, crops: 1 }, target: { image: target, shape, crops: 1 } } };
      },
    };
  },
};
