import { didYouMean, OpenMindError, type TrainingRecipe } from '@openmind-ssl/core';
import { defaultSchedule } from './default-schedule.js';
import { frozenSchedule } from './frozen-schedule.js';
import { loraSchedule } from './lora-schedule.js';
import { sawtoothSchedule } from './sawtooth-schedule.js';
import type { ScheduleContext } from './schedule-context.js';
import { valleySchedule } from './valley-schedule.js';
import { warmUpSchedule } from './warm-up-schedule.js';

/** The OpenMind fine-tuning schedules by name (the `--schedule` values). */
export const FINE_TUNE_SCHEDULES = {
  default: defaultSchedule,
  'warm-up': warmUpSchedule,
  sawtooth: sawtoothSchedule,
  frozen: frozenSchedule,
  valley: valleySchedule,
  lora: loraSchedule,
} as const satisfies Record<string, (ctx: ScheduleContext) => TrainingRecipe>;

export type FineTuneScheduleName = keyof typeof FINE_TUNE_SCHEDULES;
export const FINE_TUNE_SCHEDULE_NAMES = Object.keys(FINE_TUNE_SCHEDULES) as FineTuneScheduleName[];

/**
 * The training recipe (optimizer, phases, per-group rates per epoch, frozen parameters, gradient clip) of
 * a named schedule.
 * @throws OpenMindError for an unknown name, listing the known ones.
 */
export function fineTuneRecipe(name: string, ctx: ScheduleContext): TrainingRecipe {
  const build = (FINE_TUNE_SCHEDULES as Record<string, (c: ScheduleContext) => TrainingRecipe>)[name];
  if (!build) {
    throw new OpenMindError(`fine-tuning: no schedule named "${name}".${didYouMean(name, FINE_TUNE_SCHEDULE_NAMES)} Available: ${FINE_TUNE_SCHEDULE_NAMES.join(', ')}.`);
  }
  return build(ctx);
}
