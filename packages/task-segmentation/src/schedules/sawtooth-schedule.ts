import { linearIncrease, linearIncreaseOffset, polyOffset, type Tensor, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { decoderLrFactor, peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

/**
 * Sawtooth (the fork's PretrainedTrainer_sawtooth, finetune-spec §1.5.2), with decoder stage D, whole-net
 * warm-up A, N epochs, peak lr and decoder factor f:
 * - [0, ⌊D/2⌋) `warmup_decoder`: the heads only, Lin_incr(f·lr, ⌊D/2⌋);
 * - [⌊D/2⌋, D) `train_decoder`: same optimizer, Poly_offset(f·lr, D, ⌊D/2⌋);
 * - [D, D+A) `warmup_all`: a fresh optimizer over the whole network, Lin_incr_offset(lr, D+A, D);
 * - [D+A, N) `train`: same optimizer, Poly_offset(lr, N, D+A).
 * The heads are the decoder, plus the input projection when input channels were added. The encoder is
 * frozen in the decoder phases (no gradient computed), which is what the schedule means; with
 * `forkSawtooth` the heads are the whole network, the fork's effective ResEnc behaviour (its decoder
 * holds the encoder as a submodule).
 */
export function sawtoothSchedule(ctx: ScheduleContext): TrainingRecipe {
  const peak = peakLr('sawtooth', ctx);
  const { decoder: d, wholeNet: a, variant } = stageLengths(ctx.epochs, ctx.optimizer);
  const half = Math.floor(d / 2);
  const f = decoderLrFactor(ctx, variant);
  const { encoder, decoder, inProj } = ctx.params;
  const headsExtra = ctx.forkSawtooth ? encoder : ctx.inChannelMismatch ? inProj : [];
  const heads = [...decoder, ...headsExtra];
  const frozen: Tensor[] = encoder.filter((p) => !headsExtra.includes(p));
  const build = optimizerBuilder(ctx.optimizer);
  const whole = (schedule: ReturnType<typeof linearIncrease>) => ({ name: 'sawtooth', groups: { encoder: schedule, decoder: schedule } });
  return {
    optimizer: build([{ name: 'decoder', params: heads }]),
    schedule: { name: 'sawtooth', groups: { decoder: linearIncrease(f * peak, half) } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'warmup_decoder',
    frozen,
    phases: [
      { name: 'train_decoder', startEpoch: half, optimizer: 'keep', frozen, schedule: { name: 'sawtooth', groups: { decoder: polyOffset(f * peak, d, half) } } },
      {
        name: 'warmup_all', startEpoch: d, schedule: whole(linearIncreaseOffset(peak, d + a, d)),
        optimizer: () => build([{ name: 'encoder', params: encoder }, { name: 'decoder', params: decoder }]),
      },
      { name: 'train', startEpoch: d + a, optimizer: 'keep', schedule: whole(polyOffset(peak, ctx.epochs, d + a)) },
    ],
  };
}
