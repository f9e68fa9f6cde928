import { adaptationPlanOf, buildsFromAdaptationPlan, hasPytorchKeys, OpenMindError, Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { resencFactory } from './resenc-factory.js';
import type { ResidualEncoderUNet } from './residual-encoder-unet.js';

setBackend(new ReferenceBackend());
const patchSize = [16, 16, 16] as const;
const shapes = (net: ResidualEncoderUNet, prefix: string): [string, number[]][] =>
  [...net.stateDict()].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k, [...t.shape]]);

describe('resencFactory.fromAdaptationPlan', () => {
  it("should be recognised by core's plan and PyTorch-key guards", () => {
    expect(buildsFromAdaptationPlan(resencFactory)).toBe(true);
    expect(hasPytorchKeys(resencFactory)).toBe(true);
    expect(resencFactory.archClassNames).toEqual(['ResEncL', 'ResidualEncoderUNet']);
  });

  for (const preset of ['resenc-tiny', 'resenc-small']) {
    it(`should round-trip ${preset}: pre-training net → plan → downstream net with the same encoder keys and shapes, 3 in / 4 out`, () => {
      const pre = resencFactory.create(preset, { inChannels: 1, outChannels: 1, patchSize, rng: new Rng(0) });
      const plan = JSON.parse(JSON.stringify(adaptationPlanOf(pre, { inChannels: 1, patchSize }))) as ReturnType<typeof adaptationPlanOf>;
      const down = resencFactory.fromAdaptationPlan(plan, { inChannels: 3, outChannels: 4, rng: new Rng(1) });
      expect(down.archClassName).toBe(pre.archClassName);
      expect(down.archKwargs).toEqual(pre.archKwargs);
      expect(shapes(down, 'encoder.stages.')).toEqual(shapes(pre, 'encoder.stages.'));
      // The stem differs only in its input channels (the weight adaptation repeats it over them).
      const stem = (n: ResidualEncoderUNet) => shapes(n, 'encoder.stem.');
      expect(stem(down).map(([k, s]) => [k, k.endsWith('conv.weight') ? [s[0], 1, ...s.slice(2)] : s])).toEqual(stem(pre));
      expect(down.stateDict().get('encoder.stem.convs.0.conv.weight')!.shape[1]).toBe(3);
      expect([...down.stateDict().keys()].filter((k) => k.includes('seg_layers')).every((k) => down.stateDict().get(k)!.shape[0] === 4)).toBe(true);
      pre.dispose();
      down.dispose();
    });
  }

  it("should default to the plan's input channels and accept a module-path class name", () => {
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 2, outChannels: 2, patchSize, rng: new Rng(0), encoderOnly: true }), { inChannels: 2, patchSize });
    const down = resencFactory.fromAdaptationPlan(plan, { outChannels: 1, rng: new Rng(0), encoderOnly: true });
    expect(down.inChannels).toBe(2);
    expect(down.decoder).toBeUndefined();
    // (ResEncL by name is resEncConfigFromArchitecturePlans' case, tested in architecture-plans.test.ts without a 100 M build.)
    const dotted = { ...plan, architecture_plans: { ...plan.architecture_plans, arch_class_name: 'dynamic_network_architectures.architectures.unet.ResidualEncoderUNet' } };
    const named = resencFactory.fromAdaptationPlan(dotted, { outChannels: 1, rng: new Rng(0), encoderOnly: true });
    expect([named.archClassName, named.featureChannels]).toEqual(['ResidualEncoderUNet', [8, 16, 32, 64]]);
    down.dispose();
    named.dispose();
  });

  it('should refuse another architecture, and a patch size the strides do not divide, naming them', () => {
    const plan = adaptationPlanOf(resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize, rng: new Rng(0) }), { inChannels: 1, patchSize });
    const primus = { ...plan, architecture_plans: { arch_class_name: 'PrimusM', arch_kwargs: null, arch_kwargs_requiring_import: null } };
    expect(() => resencFactory.fromAdaptationPlan(primus, { outChannels: 1, rng: new Rng(0) })).toThrow(OpenMindError);
    expect(() => resencFactory.fromAdaptationPlan(primus, { outChannels: 1, rng: new Rng(0) })).toThrow(/'PrimusM' is not one this factory builds \(ResEncL, ResidualEncoderUNet\)/);
    expect(() => resencFactory.fromAdaptationPlan(plan, { outChannels: 1, rng: new Rng(0), patchSize: [16, 16, 12] })).toThrow(/patchSize \[16, 16, 12\] must be divisible by the total stride \[8, 8, 8\]/);
  });
});
