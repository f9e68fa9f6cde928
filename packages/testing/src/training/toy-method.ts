import {
  type AdaptationPlan, type BatchSource, type HostBatch, mse, poly, Rng, SGD, type SSLMethod, type Tensor, tensor,
  type TrainingRecipe,
} from '@openmind-ssl/core';
import { ToyConvNet } from './toy-net.js';

/**
 * A complete, tiny SSL method for tests of the trainer and plugin machinery: denoising of 8³ volumes
 * with the toy conv net (noise drawn from the step's rng, so losses depend on the seed and the step).
 */
export class ToyDenoisingMethod implements SSLMethod {
  readonly id = 'toy-denoise';
  readonly network: ToyConvNet;

  constructor(seed = 0, private readonly lr = 0.05) {
    this.network = new ToyConvNet(seed);
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const noisy = batch.image.map((v) => v + 0.3 * rng.normal());
    return mse(this.network.forward(tensor(noisy, batch.shape)), tensor(batch.image, batch.shape));
  }

  recipe(s: { epochs: number }): TrainingRecipe {
    return {
      optimizer: new SGD(this.network.parameters(), { lr: this.lr, momentum: 0.9, nesterov: true }),
      schedule: poly(this.lr, s.epochs),
      scheduleUnit: 'epoch',
      gradClip: 12,
    };
  }

  adaptationPlan(): AdaptationPlan {
    return {
      architecture_plans: { arch_class_name: 'ToyConvNet', arch_kwargs: null, arch_kwargs_requiring_import: null },
      pretrain_plan: {},
      pretrain_num_input_channels: 1,
      recommended_downstream_patchsize: [8, 8, 8],
      key_to_encoder: 'conv1',
      key_to_stem: 'conv1',
      keys_to_in_proj: ['conv1'],
    };
  }
}

/** Smooth random 8³ volumes, batch 2; the batch of each step depends only on (seed, step). */
export function toyBatches(seed: number): BatchSource {
  return {
    async *batches(fromStep: number) {
      for (let step = fromStep; ; step++) {
        const rng = new Rng([seed, step, 17, 3]);
        const image = new Float32Array(2 * 512);
        const f = [rng.uniformIn(0.1, 0.5), rng.uniformIn(0.1, 0.5), rng.uniformIn(0, 6)];
        for (let i = 0; i < image.length; i++) image[i] = Math.sin(i * f[0]! + f[2]!) + Math.cos(i * f[1]!);
        const batch: HostBatch = { image, shape: [2, 1, 8, 8, 8] };
        yield batch;
      }
    },
  };
}
