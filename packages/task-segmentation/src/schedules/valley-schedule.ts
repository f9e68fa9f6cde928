import { linearIncreaseOffset, polyOffset, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { decoderLrFactor, peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

/**
 * Valley, as the OpenMind paper describes it (openmind-paper §3.4: "decoder trained with decreasing lr →
 * linear warm-up of the full net → default"); no reference code exists (finetune-spec §1.5.4), so the
 * stage lengths, rates and optimizer resets are Sawtooth's without its decoder warm-up:
 * - [0, D) `train_decoder`: the heads only (decoder, + input projection when channels were added; the
 *   encoder frozen), Poly_offset(f·lr, D, 0) = f·lr·(1 − e/D)^0.9;
 * - [D, D+A) `warmup_all`: a fresh optimizer over the whole network, Lin_incr_offset(lr, D+A, D);
 * - [D+A, N) `train`: same optimizer, Poly_offset(lr, N, D+A).
 */
export function valleySchedule(ctx: ScheduleContext): TrainingRecipe {
  const peak = peakLr('valley', ctx);
  const { decoder: d, wholeNet: a, variant } = stageLengths(ctx.epochs, ctx.optimizer);
  const f = decoderLrFactor(ctx, variant);
  const { encoder, decoder, inProj } = ctx.params;
  const extra = ctx.inChannelMismatch ? inProj : [];
  const frozen = encoder.filter((p) => !extra.includes(p));
  const build = optimizerBuilder(ctx.optimizer);
  const whole = (schedule: ReturnType<typeof polyOffset>) => ({ name: 'valley', groups: { encoder: schedule, decoder: schedule } });
  return {
    optimizer: build([{ name: 'decoder', params: [...decoder, ...extra] }]),
    schedule: { name: 'valley', groups: { decoder: polyOffset(f * peak, d, 0) } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'train_decoder',
    frozen,
    phases: [
      {
        name: 'warmup_all', startEpoch: d, schedule: whole(linearIncreaseOffset(peak, d + a, d)),
        optimizer: () => build([{ name: 'encoder', params: encoder }, { name: 'decoder', params: decoder }]),
      },
      { name: 'train', startEpoch: d + a, optimizer: 'keep', schedule: whole(polyOffset(peak, ctx.epochs, d + a)) },
    ],
  };
}
