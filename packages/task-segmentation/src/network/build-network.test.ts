import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OpenMindError, Rng, setBackend, zeros } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { presetAdaptationPlan, segmentationPlan } from '../../test/support/plans.js';
import { buildSegmentationNetwork } from './build-network.js';

setBackend(new ReferenceBackend());

describe('buildSegmentationNetwork', () => {
  const plan = segmentationPlan(presetAdaptationPlan(resencFactory, 'resenc-tiny', [16, 16, 16]), { channels: 2, classes: 4, patch: [16, 16, 16] });

  it('should build the plan\'s ResEnc with the dataset\'s channels and classes, and deep supervision when asked (from scratch)', () => {
    const { network, deepSupervision } = buildSegmentationNetwork(plan, [primusFactory, resencFactory], { rng: new Rng(0), deepSupervision: true });
    expect(deepSupervision).toBe(true);
    const outs = (network as unknown as { forwardDeepSupervision(x: unknown): { shape: number[] }[] }).forwardDeepSupervision(zeros([1, 2, 16, 16, 16]));
    expect(outs.map((o) => o.shape)).toEqual([[1, 4, 16, 16, 16], [1, 4, 8, 8, 8], [1, 4, 4, 4, 4]]);
  });

  it('should use He init (the last norm of every residual block zeroed, as DNA initialize does)', async () => {
    const { network } = buildSegmentationNetwork(plan, resencFactory, { rng: new Rng(0), deepSupervision: false });
    const w = await network.stateDict().get('encoder.stages.1.blocks.0.conv2.norm.weight')!.data();
    expect(Array.from(w).every((v) => v === 0)).toBe(true);
  });

  it('should name the architecture and what the loaded factories build when none fits', () => {
    expect(() => buildSegmentationNetwork(plan, [primusFactory], { rng: new Rng(0), deepSupervision: false })).toThrow(OpenMindError);
    expect(() => buildSegmentationNetwork(plan, [primusFactory], { rng: new Rng(0), deepSupervision: false })).toThrow(/'ResidualEncoderUNet'.*PrimusS/);
  });
});
