import { linearIncrease, OpenMindError, piecewise, polyOffset, type TrainingRecipe } from '@openmind-ssl/core';
import { gradClipFor, optimizerBuilder } from './optimizers.js';
import { peakLr } from './peak-lr.js';
import type { ScheduleContext } from './schedule-context.js';
import { stageLengths } from './stage-lengths.js';

/**
 * LoRA (parameter-efficient fine-tuning; not a schedule of the fork): the pre-trained encoder and stem stay
 * frozen (no gradient) and only the low-rank adapters added to them (core's addLoraAdapters, which the run
 * adds for this schedule) train, together with the decoder; both with the Warm-Up schedule's shape and
 * peaks, Lin_incr(peak, W) then Poly_offset(peak, N, W), one optimizer.
 * @throws OpenMindError when the network carries no adapters.
 */
export function loraSchedule(ctx: ScheduleContext): TrainingRecipe {
  if (ctx.params.adapters.length === 0) throw new OpenMindError("schedule 'lora': the network has no LoRA adapters in its encoder; add them (addLoraAdapters) before building the recipe.");
  const peak = peakLr('lora', ctx);
  const { warmup } = stageLengths(ctx.epochs, ctx.optimizer);
  const lr = piecewise([
    { until: warmup, schedule: linearIncrease(peak, warmup) },
    { until: Infinity, schedule: polyOffset(peak, ctx.epochs, warmup) },
  ]);
  const adapters = new Set(ctx.params.adapters);
  const frozen = ctx.params.encoder.filter((p) => !adapters.has(p));
  const groups = () => [{ name: 'encoder' as const, params: ctx.params.adapters }, { name: 'decoder' as const, params: ctx.params.decoder }];
  return {
    optimizer: optimizerBuilder(ctx.optimizer)(groups()),
    schedule: { name: 'lora', groups: { encoder: lr, decoder: lr } },
    scheduleUnit: 'epoch',
    gradClip: gradClipFor(ctx.optimizer),
    phaseName: 'warmup_lora',
    frozen,
    phases: [{ name: 'train_lora', startEpoch: warmup, optimizer: 'keep', frozen, schedule: { name: 'lora', groups: { encoder: lr, decoder: lr } } }],
  };
}
