import { describe, expect, it } from 'vitest';
import { adaptationPlanOf } from './adaptation-plan.js';
import type { Architecture } from './architecture.js';

// Only the key attributes adaptationPlanOf reads.
const arch = {
  archClassName: 'ResEncL', archKwargs: null, keyToEncoder: 'encoder.stages', keyToStem: 'encoder.stem',
  keysToInProj: ['encoder.stem.convs.0.conv'], keyToLpe: undefined,
} as unknown as Architecture;
const config = (spacing: number[]) => ({ spacing, patch_size: null });

describe('adaptationPlanOf', () => {
  it("should fill the trained configuration's patch_size and recommend 160³ downstream, as nnssl does", () => {
    const plan = adaptationPlanOf(arch, {
      inChannels: 1, patchSize: [64, 64, 64], pretrainPlan: { plans_name: 'nnsslPlans', configurations: { onemmiso: config([1, 1, 1]) } },
    });
    expect(plan.pretrain_plan).toEqual({ plans_name: 'nnsslPlans', configurations: { onemmiso: { spacing: [1, 1, 1], patch_size: [64, 64, 64] } } });
    expect(plan.recommended_downstream_patchsize).toEqual([160, 160, 160]);
  });

  it('should refuse a plan with several configurations (nnU-Net would take the first, not the trained one)', () => {
    const pretrainPlan = { configurations: { median: config([3, 1, 1]), onemmiso: config([1, 1, 1]) } };
    expect(() => adaptationPlanOf(arch, { inChannels: 1, patchSize: [64, 64, 64], pretrainPlan }))
      .toThrow(/pretrain_plan.configurations must hold exactly the trained configuration, but it holds median, onemmiso/);
  });

  it('should keep an empty plan empty (a store preprocessed elsewhere)', () => {
    expect(adaptationPlanOf(arch, { inChannels: 1, patchSize: [8, 8, 8] }).pretrain_plan).toEqual({});
  });
});
