import {
  AdamW, applySchedule, type GroupSchedule, type Optimizer, SGD, setBackend, type Tensor, tensor, tidy,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { coreFixture, maxRelativeError } from './fixtures.js';
import { type GroupParam, groupLoss, groupSchedule, type GroupTrajectory } from './group-problem.js';

type P = GroupParam;

setBackend(new ReferenceBackend());
const MAKE: Record<string, { make: (p: Record<P, Tensor>) => Optimizer; schedule: GroupSchedule }> = {
  'sgd-groups': {
    make: (p) => new SGD([
      { name: 'enc', params: [p.p1], weightDecay: 1e-3 },
      { name: 'dec', params: [p.p2, p.p3], weightDecay: 0 },
    ], { lr: 1, momentum: 0.9, nesterov: true }),
    schedule: groupSchedule(1e-2, 5e-2),
  },
  'adamw-groups': {
    make: (p) => new AdamW([
      { name: 'enc', params: [p.p1], weightDecay: 5e-2 },
      { name: 'dec', params: [p.p2, p.p3], weightDecay: 0 },
    ], { lr: 1, betas: [0.9, 0.98] }),
    schedule: groupSchedule(1e-3, 1e-2),
  },
};

// Same bar as the single-group trajectories (optimizers.test.ts): 1e-6 relative, float64 reference backend.
describe('parameter groups against PyTorch param_groups', () => {
  for (const t of coreFixture<GroupTrajectory[]>('optimizer-groups').filter((x) => MAKE[x.name])) {
    it(`should follow torch's ${t.name} (own lr schedule and weight decay per group) for ${t.steps.length} steps within 1e-6 relative`, async () => {
      const c = Object.fromEntries(Object.entries(t.constants).map(([k, v]) => [k, tensor(v.data, v.shape).keep()]));
      const p = Object.fromEntries((['p1', 'p2', 'p3'] as const).map((k) => [k, tensor(t.init[k].data, t.init[k].shape).keep().requireGrad()])) as Record<P, Tensor>;
      const { make, schedule } = MAKE[t.name]!;
      const opt = make(p);
      let worst = 0;
      for (const [step, expected] of t.steps.entries()) {
        applySchedule(schedule, opt, step);
        tidy(() => {
          groupLoss(p, c).backward();
          opt.step();
          opt.zeroGrad();
        });
        for (const k of ['p1', 'p2', 'p3'] as const) worst = Math.max(worst, maxRelativeError(await p[k].data(), expected[k]));
      }
      expect(t.steps.length).toBeGreaterThanOrEqual(10);
      expect(worst).toBeLessThan(1e-6);
    });
  }
});

describe('parameter groups', () => {
  const param = (v: number[]) => tensor(v, [v.length]).keep().requireGrad();

  it('should refuse a parameter in two groups, naming both', () => {
    const a = param([1]);
    expect(() => new SGD([{ name: 'enc', params: [a] }, { name: 'dec', params: [param([2]), a] }], { lr: 1 }))
      .toThrow("parameter 1 of group 'dec' is already in group 'enc'");
  });

  it('should refuse a schedule without a rate for one of the groups', () => {
    const opt = new SGD([{ name: 'enc', params: [param([1])] }, { name: 'head', params: [param([2])] }], { lr: 1 });
    expect(() => applySchedule(groupSchedule(1, 1), opt, 0)).toThrow("schedule 'fixture' has no rate for parameter group 'head'");
  });

  it('should refuse optimizer state saved by an optimizer with other groups, and leave its own state alone', async () => {
    const [a, b] = [param([1, 2]), param([3])];
    const saver = new SGD([{ name: 'dec', params: [a, b] }], { lr: 0.1, momentum: 0.9 });
    tidy(() => {
      a.add(b.sum()).square().sum().backward();
      saver.step();
      saver.zeroGrad();
    });
    const loader = new SGD([{ name: 'enc', params: [a] }, { name: 'dec', params: [b] }], { lr: 0.1, momentum: 0.9 });
    expect(() => loader.loadStateDict(saver.stateDict())).toThrow("optimizer state 'dec.1.momentum_buffer' matches no parameter of this optimizer, whose groups are 'enc' (1), 'dec' (1)");
    expect(loader.stateDict().buffers.size).toBe(0);
    expect(loader.stepCount).toBe(0);
  });

  it('should release its state on dispose and start over', () => {
    const backend = new ReferenceBackend();
    setBackend(backend);
    const a = param([1, 2]);
    const opt = new AdamW([a], { lr: 0.1 });
    tidy(() => {
      a.square().sum().backward();
      opt.step();
      opt.zeroGrad();
    });
    const live = backend.memory().handles;
    opt.dispose();
    expect(backend.memory().handles).toBe(live - 2);
    expect(opt.stateDict()).toEqual({ step: 0, lrs: { default: 0.1 }, buffers: new Map() });
    setBackend(new ReferenceBackend());
  });
});
