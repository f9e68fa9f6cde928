import { type GroupSchedule, linearIncrease, poly, type Tensor } from '@openmind-ssl/core';
import type { FixtureArray } from './fixtures.js';

export type GroupParam = 'p1' | 'p2' | 'p3';

/** One trajectory of fixtures/core/optimizer-groups.json (tools/gen_core_fixtures.py, optimizer_groups). */
export interface GroupTrajectory {
  name: string;
  init: Record<GroupParam, FixtureArray>;
  constants: Record<'a1' | 'a2' | 'a3' | 'b1' | 'b2' | 'b3', FixtureArray>;
  clip: number | null;
  steps: Record<GroupParam, number[]>[];
}

/** The generator's loss (loss3): a quadratic per parameter plus couplings p1·p2 and p2·p3. */
export function groupLoss(p: Record<GroupParam, Tensor>, c: Record<string, Tensor>): Tensor {
  const term = (x: Tensor, a: Tensor, b: Tensor) => x.square().mul(a).mul(0.5).add(x.mul(b)).sum();
  return term(p.p1, c.a1!, c.b1!).add(term(p.p2, c.a2!, c.b2!)).add(p.p1.sum().mul(p.p2.sum()).mul(0.1))
    .add(term(p.p3, c.a3!, c.b3!)).add(p.p2.sum().mul(p.p3.sum()).mul(0.1));
}

/** The generator's per-group rates (ENC_LR, DEC_LR): 'enc' decays by poly over 20 steps, 'dec' rises linearly over 12. */
export function groupSchedule(encLr: number, decLr: number): GroupSchedule {
  return { name: 'fixture', groups: { enc: poly(encLr, 20), dec: linearIncrease(decLr, 12) } };
}
