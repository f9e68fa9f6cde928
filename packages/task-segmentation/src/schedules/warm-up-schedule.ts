import { linearIncrease, piecewise, polyOffset, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

/**
 * Warm-Up (the fork's PretrainedTrainer, finetune-spec §1.5.1): the whole network warms up linearly,
 * Lin_incr(peak, W) = peak·(1 + e)/W for e < W, then decays, Poly_offset(peak, N, W), with the same
 * optimizer. W = 50 of 1000 epochs, 15 of 150; peak 1e-3 (SGD) or 1e-4 (Primus AdamW), from scratch
 * 1e-2 or 3e-4.
 */
export function warmUpSchedule(ctx: ScheduleContext): TrainingRecipe {
  const peak = peakLr('warm-up', ctx);
  const { warmup } = stageLengths(ctx.epochs, ctx.optimizer);
  const lr = piecewise([
    { until: warmup, schedule: linearIncrease(peak, warmup) },
    { until: Infinity, schedule: polyOffset(peak, ctx.epochs, warmup) },
  ]);
  return {
    optimizer: optimizerBuilder(ctx.optimizer)([{ name: 'encoder', params: ctx.params.encoder }, { name: 'decoder', params: ctx.params.decoder }]),
    schedule: { name: 'warm-up', groups: { encoder: lr, decoder: lr } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'warmup_all',
    phases: [{ name: 'train', startEpoch: warmup, optimizer: 'keep', schedule: { name: 'warm-up', groups: { encoder: lr, decoder: lr } } }],
  };
}
