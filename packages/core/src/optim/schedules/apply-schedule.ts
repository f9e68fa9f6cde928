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

/**
 * The schedule that gives parameter group `group` its rate: the shared one, or the group's own.
 * @throws OpenMindError when a per-group schedule does not name the group.
 */
export function scheduleFor(schedule: RecipeSchedule, group: string): LrSchedule {
  if (!isGroupSchedule(schedule)) return schedule;
  const s = schedule.groups[group];
  if (!s) throw new OpenMindError(`schedule '${schedule.name}' has no rate for parameter group '${group}'`);
  return s;
}

/** Writes every group's rate at step (or epoch) t into the optimizer. */
export function applySchedule(schedule: RecipeSchedule, optimizer: Optimizer, t: number): void {
  for (const g of optimizer.groups) g.lr = scheduleFor(schedule, g.name).lr(t);
}
