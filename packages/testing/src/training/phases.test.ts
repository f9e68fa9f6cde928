import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  constant, linearIncrease, linearIncreaseOffset, PhaseController, piecewise, polyOffset, SGD, setBackend, tensor,
  Trainer, type TrainerEvent,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { coreFixture, maxRelativeError } from '../core/fixtures.js';
import type { GroupTrajectory } from '../core/group-problem.js';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { PhasedQuadraticMethod, quadraticBatches } from './quadratic-method.js';

const phased = coreFixture<GroupTrajectory[]>('optimizer-groups').find((t) => t.name === 'phased')!;
const values = async (m: PhasedQuadraticMethod) => Promise.all((['p1', 'p2', 'p3'] as const).map(async (k) => [...(await m.network.p[k].data())]));

async function train(method: PhasedQuadraticMethod, runDir: string, options: { epochs?: number; failAt?: number; resume?: boolean } = {}) {
  const events: TrainerEvent[] = [];
  const trainer = new Trainer({
    method, train: quadraticBatches(options.failAt), epochs: options.epochs ?? phased.steps.length, iterationsPerEpoch: 1,
    runDir, seed: 1, checkpointEvery: 1, keepCheckpoints: 20, onEvent: (e) => events.push(e),
  });
  await trainer.run({ resume: options.resume ?? false });
  return events;
}

describe('Trainer with recipe phases', () => {
  it("should follow torch's phased trajectory (frozen p1 and SGD, then a fresh AdamW over two groups) within 1e-6 relative", async () => {
    setBackend(new ReferenceBackend());
    const method = new PhasedQuadraticMethod(phased);
    const frozenDuringStep: boolean[] = [];
    const trainer = new Trainer({
      method, train: quadraticBatches(), epochs: 12, iterationsPerEpoch: 1, runDir: mkdtempSync(join(tmpdir(), 'om-ph-')), seed: 1,
      onEvent: (e) => e.type === 'step' && frozenDuringStep.push(!method.network.p.p1.requiresGrad),
    });
    await trainer.run();
    const [p1, p2, p3] = await values(method);
    const last = phased.steps.at(-1)!;
    expect(Math.max(maxRelativeError(Float32Array.from(p1!), last.p1), maxRelativeError(Float32Array.from(p2!), last.p2), maxRelativeError(Float32Array.from(p3!), last.p3))).toBeLessThan(1e-6);
    expect(frozenDuringStep).toEqual([true, true, true, true, false, false, false, false, false, false, false, false]);
    expect(method.network.p.p1.requiresGrad).toBe(true);
    expect(method.hookCalls.map((c) => c.step)).toEqual([...Array(12).keys()]);
    expect(method.hookCalls.map((c) => c.optimizer)).toEqual([...Array(4).fill('SGD'), ...Array(8).fill('AdamW')]);
  });

  it('should leave a frozen parameter bit-identical and emit the phase change', async () => {
    setBackend(new ReferenceBackend());
    const method = new PhasedQuadraticMethod(phased);
    const before = await values(method);
    const decoderOnly = await train(method, mkdtempSync(join(tmpdir(), 'om-ph-')), { epochs: 4 });
    const after = await values(method);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    expect(decoderOnly.filter((e) => e.type === 'phase')).toEqual([]);
    const all = await train(new PhasedQuadraticMethod(phased), mkdtempSync(join(tmpdir(), 'om-ph-')));
    expect(all.filter((e) => e.type === 'phase')).toEqual([{ type: 'phase', epoch: 4, step: 4, name: 'whole', optimizer: 'fresh' }]);
  });

  // Crash before step 2 (inside phase 'decoder'), before step 4 (the checkpoint sits on the boundary: the
  // saved SGD state belongs to 'decoder', the next step starts 'whole' with a fresh AdamW) and before step
  // 7 (inside 'whole': the AdamW moments come from the checkpoint).
  for (const failAt of [2, 4, 7]) {
    it(`should resume after a crash before step ${failAt} to the values of an uninterrupted run within float32 rounding`, async () => {
      setBackend(new ReferenceBackend());
      const reference = new PhasedQuadraticMethod(phased);
      await train(reference, mkdtempSync(join(tmpdir(), 'om-ph-')));
      const runDir = mkdtempSync(join(tmpdir(), 'om-ph-crash-'));
      const crashed = new PhasedQuadraticMethod(phased);
      await expect(train(crashed, runDir, { failAt })).rejects.toThrow(`simulated crash before step ${failAt}`);
      // A run that throws still gives frozen parameters their requiresGrad back.
      expect(crashed.network.p.p1.requiresGrad).toBe(true);
      const resumed = new PhasedQuadraticMethod(phased);
      const events = await train(resumed, runDir, { resume: true });
      expect(events[0]).toMatchObject({ type: 'start', step: failAt });
      // Within 1e-6, not bit-identical: the reference backend keeps float64 between kernels, a checkpoint
      // holds float32 (≈1e-7 here); a lost or misplaced optimizer state is off by far more (≈1e-3).
      const [got, want] = [await values(resumed), await values(reference)];
      const worst = Math.max(...got.map((v, i) => maxRelativeError(Float32Array.from(v), want[i]!)));
      expect(worst).toBeLessThan(1e-6);
      expect(resumed.hookCalls[0]!.step).toBe(failAt);
      expect(events.filter((e) => e.type === 'phase').map((e) => (e as { epoch: number }).epoch)).toEqual(failAt <= 4 ? [4] : []);
    });
  }

  it('should refuse a checkpoint saved in another phase than the recipe places its step in', async () => {
    setBackend(new ReferenceBackend());
    const runDir = mkdtempSync(join(tmpdir(), 'om-ph-mis-'));
    await expect(train(new PhasedQuadraticMethod(phased), runDir, { failAt: 6 })).rejects.toThrow('simulated crash');
    const other = new PhasedQuadraticMethod(phased);
    const recipe = other.recipe();
    other.recipe = () => ({ ...recipe, phases: [{ ...recipe.phases![0]!, startEpoch: 8 }] });
    await expect(train(other, runDir, { resume: true })).rejects.toThrow("the checkpoint was saved in phase 'whole', but step 6 lies in phase 'decoder' of this recipe");
  });
});

describe('PhaseController', () => {
  // Sawtooth with SGD over 1000 epochs (finetune-spec §1.5.2 and the test vectors of §4): the decoder
  // warms up over 25 epochs and decays to epoch 50 while the encoder is frozen; then a fresh optimizer
  // over the whole network warms up to epoch 100 and decays by poly.
  it("should give the Sawtooth SGD-1000 rates of finetune-spec §4 and switch optimizer and frozen set at epoch 50", () => {
    setBackend(new ReferenceBackend());
    const encoder = tensor([1, 2], [2]).keep().requireGrad();
    const decoder = tensor([3], [1]).keep().requireGrad();
    const first = new SGD([decoder], { lr: 0 });
    const controller = new PhaseController({
      phaseName: 'decoder',
      optimizer: first,
      schedule: piecewise([{ until: 25, schedule: linearIncrease(1e-3, 25) }, { until: Infinity, schedule: polyOffset(1e-3, 50, 25) }]),
      frozen: [encoder],
      scheduleUnit: 'epoch',
      phases: [{
        name: 'whole',
        startEpoch: 50,
        optimizer: () => new SGD([{ name: 'encoder', params: [encoder] }, { name: 'decoder', params: [decoder] }], { lr: 0 }),
        schedule: {
          name: 'sawtooth-whole',
          groups: { encoder: piecewise([{ until: 100, schedule: linearIncreaseOffset(1e-3, 100, 50) }, { until: Infinity, schedule: polyOffset(1e-3, 1000, 100) }]), decoder: constant(1e-3) },
        },
      }],
    });
    const rate = (e: number) => {
      controller.advanceTo(e);
      controller.setLr(e);
      return controller.optimizer.groups[0]!.lr;
    };
    expect(encoder.requiresGrad).toBe(false);
    for (const [e, lr] of [[0, 4e-5], [24, 1e-3], [25, 1e-3]] as const) expect(rate(e), `epoch ${e}`).toBeCloseTo(lr, 9);
    expect(rate(49)).toBeCloseTo(5.52e-5, 7);
    expect(controller.optimizer).toBe(first);
    for (const [e, lr] of [[50, 2e-5], [99, 1e-3], [100, 1e-3]] as const) expect(rate(e), `epoch ${e}`).toBeCloseTo(lr, 9);
    expect(controller.optimizer).not.toBe(first);
    expect(controller.phase.name).toBe('whole');
    expect(encoder.requiresGrad).toBe(true);
    expect(() => controller.advanceTo(10)).toThrow("epoch 10 lies before the current phase 'whole' (from epoch 50)");
  });

  it('should refuse phases out of order, duplicate names and a schedule without a rate for a group', () => {
    setBackend(new ReferenceBackend());
    const p = tensor([1], [1]).keep().requireGrad();
    const base = { optimizer: new SGD([p], { lr: 0 }), schedule: constant(1), scheduleUnit: 'epoch' as const };
    expect(() => new PhaseController({ ...base, phases: [{ name: 'b', startEpoch: 5, optimizer: 'keep', schedule: constant(1) }, { name: 'c', startEpoch: 5, optimizer: 'keep', schedule: constant(1) }] }))
      .toThrow("phase 'c' starts at epoch 5; expected an integer after phase 'b' (epoch 5)");
    expect(() => new PhaseController({ ...base, phases: [{ name: 'main', startEpoch: 5, optimizer: 'keep', schedule: constant(1) }] }))
      .toThrow("phase name 'main' is used twice");
    expect(() => new PhaseController({ ...base, schedule: { name: 'ft', groups: { encoder: constant(1) } } }))
      .toThrow("trainer: phase 'main': schedule 'ft' has no rate for parameter group 'default' (it has 'encoder')");
  });
});
