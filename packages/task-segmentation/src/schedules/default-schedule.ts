import { poly, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';

/**
 * Default (nnUNetTrainer, finetune-spec §1.5.5): the whole network from epoch 0 with Poly(lr, N) =
 * lr·(1 − e/N)^0.9, one optimizer throughout; SGD from 1e-2 for ResEnc.
 */
export function defaultSchedule(ctx: ScheduleContext): TrainingRecipe {
  const lr = poly(peakLr('default', ctx), ctx.epochs);
  return {
    optimizer: optimizerBuilder(ctx.optimizer)([{ name: 'encoder', params: ctx.params.encoder }, { name: 'decoder', params: ctx.params.decoder }]),
    schedule: { name: 'default', groups: { encoder: lr, decoder: lr } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'train',
  };
}
