import {
  type AdaptationPlan, adaptationPlanOf, AdamW, type Architecture, type HostBatch, mse, poly, type Rng,
  type SSLMethod, type SSLMethodContext, type Tensor, tensor, type TrainingRecipe,
} from '@openmind-ssl/core';
import type { DenoisingConfig } from './config.js';
import { addGaussianNoise } from './noise.js';

/**
 * Denoising autoencoder (Vincent et al. 2008) in 3D: the network sees the patch with Gaussian noise
 * added and reconstructs the clean patch; the loss is the mean squared error over all voxels. Telling
 * tissue from noise makes the encoder learn what anatomy looks like.
 */
export class DenoisingAutoencoder implements SSLMethod {
  readonly id = 'denoising';
  readonly network: Architecture;

  constructor(private readonly ctx: SSLMethodContext<DenoisingConfig>) {
    // The user picks the architecture (--arch); the method only says it wants a full encoder-decoder
    // whose output has as many channels as the input.
    this.network = ctx.architecture.create(ctx.preset, {
      inChannels: ctx.inChannels, outChannels: ctx.inChannels, patchSize: ctx.patchSize, rng: ctx.rng.fork(),
    });
  }

  loss(batch: HostBatch, rng: Rng): Tensor {
    const noisy = addGaussianNoise(batch.image, this.ctx.config.noiseStd, rng);
    const output = this.network.forward(tensor(noisy, batch.shape));
    return mse(output, tensor(batch.image, batch.shape));
  }

  recipe(schedule: { epochs: number }): TrainingRecipe {
    const c = this.ctx.config;
    return {
      optimizer: new AdamW(this.network.parameters(), { lr: c.lr, weightDecay: c.weightDecay }),
      schedule: poly(c.lr, schedule.epochs),
      scheduleUnit: 'epoch',
      gradClip: c.gradClip,
    };
  }

  /** The whole network is the backbone: fine-tuning keeps its encoder and stem keys. */
  adaptationPlan(): AdaptationPlan {
    return adaptationPlanOf(this.network, this.ctx);
  }
}
