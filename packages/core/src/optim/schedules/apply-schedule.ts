import { OpenMindError } from '../../errors/openmind-error.js';
import type { Optimizer } from '../optimizer.js';
import type { GroupSchedule } from './fine-tuning.js';
import type { LrSchedule } from './lr-schedule.js';

/**
 * The learning rates of a training recipe or phase: one schedule for every parameter group, or one
 * schedule per group, by group name. A group's rate is always its own schedule's value — there is no
 * separate per-group factor; write one with `scaled(schedule, factor)`.
 */
export type RecipeSchedule = LrSchedule | GroupSchedule;

/** Whether a recipe schedule gives each group its own rate. */
export function isGroupSchedule(schedule: RecipeSchedule): schedule is GroupSchedule {
  return 'groups' in schedule;
}

/**
 * Checks that `schedule` gives a rate to every group of `optimizer` (groups it does not know would keep
 * a stale rate silently).
 * @param where names the recipe or phase in the error.
 * @throws OpenMindError naming the group without a rate and the groups the schedule knows.
 */
export function checkScheduleCovers(schedule: RecipeSchedule, optimizer: Optimizer, where: string): void {
  if (!isGroupSchedule(schedule)) return;
  for (const g of optimizer.groups) {
    if (!schedule.groups[g.name]) {
      const known = Object.keys(schedule.groups).map((n) => `'${n}'`).join(', ');
      throw new OpenMindError(`${where}: schedule '${schedule.name}' has no rate for parameter group '${g.name}' (it has ${known})`);
    }
  }
}

/** Writes every group's rate at step (or epoch) t into the optimizer. */
export function applySchedule(schedule: RecipeSchedule, optimizer: Optimizer, t: number): void {
  for (const g of optimizer.groups) {
    const s = isGroupSchedule(schedule) ? schedule.groups[g.name] : schedule;
    if (!s) throw new OpenMindError(`schedule '${(schedule as GroupSchedule).name}' has no rate for parameter group '${g.name}'`);
    g.lr = s.lr(t);
  }
}
