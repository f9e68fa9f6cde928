import { adaptationPlanOf, type AdaptationPlan, buildsFromAdaptationPlan, hasPytorchKeys, identityPytorchKeys, Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { primusConfigFromArchitecturePlans } from './architecture-plans.js';
import { primusFactory } from './primus-factory.js';
import { PRIMUS_PRESETS } from './presets.js';
import type { Primus } from './primus.js';

setBackend(new ReferenceBackend());
const patchSize = [16, 16, 16] as const;
const shapes = (net: Primus, prefix: string): [string, number[]][] =>
  [...net.stateDict()].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k, [...t.shape]]);
const planOf = (net: Primus, inChannels: number): AdaptationPlan => JSON.parse(JSON.stringify(adaptationPlanOf(net, { inChannels, patchSize }))) as AdaptationPlan;

describe('primusFactory.fromAdaptationPlan', () => {
  it("should be recognised by core's plan and PyTorch-key guards; Primus keys are DNA's own (identity)", () => {
    expect(buildsFromAdaptationPlan(primusFactory)).toBe(true);
    expect(hasPytorchKeys(primusFactory)).toBe(true);
    expect(primusFactory.pytorchKeys).toBe(identityPytorchKeys);
  });

  it('should round-trip primus-tiny: pre-training net → plan → downstream net with the same encoder keys and shapes, 2 in / 3 out', () => {
    const pre = primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize, rng: new Rng(0) });
    const plan = planOf(pre, 1);
    expect(plan.architecture_plans.arch_class_name).toBe('Primus');
    const down = primusFactory.fromAdaptationPlan(plan, { inChannels: 2, outChannels: 3, patchSize, rng: new Rng(1) });
    expect([down.archClassName, down.archKwargs, down.tokenGrid]).toEqual([pre.archClassName, pre.archKwargs, pre.tokenGrid]);
    expect(shapes(down, `${plan.key_to_encoder}.`)).toEqual(shapes(pre, `${plan.key_to_encoder}.`));
    // The stem differs only in its input channels; the decoder ends in the downstream class count.
    expect(shapes(pre, 'down_projection.')).toEqual([['down_projection.proj.weight', [96, 1, 8, 8, 8]], ['down_projection.proj.bias', [96]]]);
    expect(shapes(down, 'down_projection.')).toEqual([['down_projection.proj.weight', [96, 2, 8, 8, 8]], ['down_projection.proj.bias', [96]]]);
    expect(shapes(down, 'up_projection.').at(-1)).toEqual(['up_projection.decode.2.bias', [3]]);
    pre.dispose();
    down.dispose();
  });

  it("should take another downstream patch size (a new token grid, so a longer eva.pos_embed) and default to the plan's recommended 160³", () => {
    const pre = primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize, rng: new Rng(0), encoderOnly: true });
    const plan = planOf(pre, 1);
    const same = primusFactory.fromAdaptationPlan(plan, { outChannels: 1, rng: new Rng(0), encoderOnly: true });
    // nnssl recommends 160³ downstream whatever the pre-training patch (nnssl-spec §6.2).
    expect([same.inChannels, same.patchSize, same.tokenGrid]).toEqual([1, [160, 160, 160], [20, 20, 20]]);
    const bigger = primusFactory.fromAdaptationPlan(plan, { outChannels: 1, rng: new Rng(0), encoderOnly: true, patchSize: [16, 16, 32] });
    expect(bigger.tokenGrid).toEqual([2, 2, 4]);
    expect(bigger.stateDict().get('eva.pos_embed')!.shape).toEqual([1, 16, 96]);
    [pre, same, bigger].forEach((n) => n.dispose());
  });

  it("should read nnssl's named classes as their presets, and name a malformed kwarg", () => {
    for (const p of ['primus-s', 'primus-b', 'primus-m', 'primus-l']) {
      const { archClassName, config } = PRIMUS_PRESETS[p]!;
      expect(primusConfigFromArchitecturePlans({ arch_class_name: `nnssl.architectures.${archClassName}`, arch_kwargs: null, arch_kwargs_requiring_import: null }))
        .toEqual({ config, archClassName });
    }
    const pre = primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize, rng: new Rng(0), encoderOnly: true });
    const plan = planOf(pre, 1);
    const bad = { ...plan.architecture_plans, arch_kwargs: { ...plan.architecture_plans.arch_kwargs, eva_depth: 'four' } };
    expect(() => primusConfigFromArchitecturePlans(bad)).toThrow(/'eva_depth' must be an integer, but got "four"/);
    expect(() => primusFactory.fromAdaptationPlan({ ...plan, architecture_plans: { ...plan.architecture_plans, arch_class_name: 'ResEncL' } }, { outChannels: 1, rng: new Rng(0) }))
      .toThrow(/arch_class_name must be PrimusS, PrimusB, PrimusM, PrimusL, or 'Primus' with arch_kwargs, but got 'ResEncL'/);
    pre.dispose();
  });
});
