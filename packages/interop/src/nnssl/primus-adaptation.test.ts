import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { adaptationPlanOf, Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { rawValues } from '../torch/raw-tensor.js';
import { adaptPretrainedWeights } from './adapt-pretrained-weights.js';
import { stateDictToRaw } from './export-nnssl-checkpoint.js';
import { networkFromAdaptationPlan } from './network-from-plan.js';

setBackend(new ReferenceBackend());

describe('adapting a pre-trained Primus through its factory', () => {
  it('should build the downstream Primus from the plan (2 in, 3 out, 16×16×32) and load eva + stem, repeating the in-projection and resizing pos_embed', async () => {
    const pre = primusFactory.create('primus-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) });
    const plan = adaptationPlanOf(pre, { inChannels: 1, patchSize: [16, 16, 16] });
    const weights = await stateDictToRaw(pre);
    // The factory is chosen by the plan's arch_class_name ('Primus'), not by position in the list.
    const down = networkFromAdaptationPlan(plan, [resencFactory, primusFactory], { inChannels: 2, outChannels: 3, patchSize: [16, 16, 32], rng: new Rng(1) });
    const report = adaptPretrainedWeights(down, weights, {
      architecture: primusFactory, plan, positionEmbedding: { sourceGrid: [2, 2, 2], targetGrid: [2, 2, 4] },
    });
    const encoderAndStem = [...down.stateDict().keys()].filter((k) => k.startsWith('eva.') || k.startsWith('down_projection.'));
    expect([...report.loaded].sort()).toEqual(encoderAndStem.sort());
    expect(report.loaded).toContain('eva.blocks.3.mlp.fc2.weight');
    expect(report.transformed.map((t) => t.key)).toEqual(['down_projection.proj.weight', 'eva.pos_embed']);
    expect(report.missing.every((k) => k.startsWith('up_projection.') || k === 'mask_token')).toBe(true);
    const sd = down.stateDict();
    expect(sd.get('eva.pos_embed')!.shape).toEqual([1, 16, 96]);
    expect(Array.from(await sd.get('eva.blocks.0.attn.q_proj.weight')!.data())).toEqual(rawValues(weights.get('eva.blocks.0.attn.q_proj.weight')!));
    // Repeated over 2 channels and divided by 2: each channel's slice is half the pre-trained kernel.
    const w1 = rawValues(weights.get('down_projection.proj.weight')!);
    const w2 = Array.from(await sd.get('down_projection.proj.weight')!.data());
    const per = 8 ** 3;
    expect(w2.slice(per, 2 * per)).toEqual(Array.from(w1.slice(0, per), (v) => Math.fround(v / 2)));
    pre.dispose();
    down.dispose();
  });
});
