import { linearIncrease, polyOffset, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

/**
 * Frozen encoder (the fork's PretrainedTrainer_Primus_frozenEnc, finetune-spec §1.5.3): stem and encoder
 * never train — their requiresGrad is off, so no gradient is computed for them (the fork computes and
 * discards them). The decoder warms up, Lin_incr(peak, W), then a fresh optimizer decays it,
 * Poly_offset(peak, N, W). W = 15 of 150 epochs (50 of 1000).
 */
export function frozenSchedule(ctx: ScheduleContext): TrainingRecipe {
  const peak = peakLr('frozen', ctx);
  const { warmup } = stageLengths(ctx.epochs, ctx.optimizer);
  const build = optimizerBuilder(ctx.optimizer);
  const frozen = ctx.params.encoder;
  return {
    optimizer: build([{ name: 'decoder', params: ctx.params.decoder }]),
    schedule: { name: 'frozen', groups: { decoder: linearIncrease(peak, warmup) } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'warmup_decoder',
    frozen,
    phases: [{
      name: 'train_decoder', startEpoch: warmup, frozen, schedule: { name: 'frozen', groups: { decoder: polyOffset(peak, ctx.epochs, warmup) } },
      optimizer: () => build([{ name: 'decoder', params: ctx.params.decoder }]),
    }],
  };
}
