import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { AdamW, createSslMethod, Rng, scheduleFor, setBackend, SGD } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { swinunetrFactory } from './plugin.js';
import type { SwinunetrMethod } from './swinunetr-method.js';
import { ReconstructionHead } from './swinunetr-network.js';

setBackend(new ReferenceBackend());

const make = (arch: 'resenc' | 'primus', patchSize: [number, number, number] = [16, 16, 16]) => createSslMethod(swinunetrFactory, {
  config: {}, architecture: arch === 'resenc' ? resencFactory : primusFactory, preset: `${arch}-tiny`, inChannels: 1, patchSize, rng: new Rng(0),
}) as SwinunetrMethod;

describe('SwinUNETR heads', () => {
  it("should have nnssl's parameter counts: ResEnc-L reconstruction head 6,139,521, Primus-M 13,230,649 (nnssl-spec §4.7)", () => {
    expect(new ReconstructionHead([320, 320, 256, 128, 64, 32], 1, new Rng(0)).parameterCount()).toBe(6_139_521);
    expect(new ReconstructionHead([864, 432, 216, 108], 1, new Rng(0)).parameterCount()).toBe(13_230_649);
  });

  it('should size the heads from the encoder: reversed stage widths for ResEnc, halving for Primus, one block per halving', () => {
    const resenc = make('resenc').network;
    expect(resenc.reconstruction_head.blocks.length).toBe(3);
    expect(resenc.reconstruction_head.blocks.items.map((b) => b.stateDict().get('conv.weight')!.shape.slice(0, 2))).toEqual([[32, 64], [16, 32], [8, 16]]);
    expect(resenc.rotation_head.stateDict().get('weight')!.shape).toEqual([4, 64]);
    expect(resenc.contrastive_head.stateDict().get('weight')!.shape).toEqual([512, 64]);
    const primus = make('primus').network;
    expect(primus.reconstruction_head.blocks.items.map((b) => b.stateDict().get('conv.weight')!.shape[0])).toEqual([48, 24, 12]);
  });

  it('should refuse a patch that cannot be rotated in (Y, Z)', () => {
    expect(() => make('resenc', [16, 16, 24])).toThrow(/square in its last two axes/);
  });

  it("should use nnssl's recipes: SGD 1e-2 clip 12 on ResEnc, AdamW 3e-4 with warm-up and clip 1 on Primus", () => {
    const r = make('resenc').recipe({ epochs: 1000 });
    expect(r.optimizer).toBeInstanceOf(SGD);
    expect(r.optimizer.groups[0]).toMatchObject({ lr: 1e-2, weightDecay: 3e-5 });
    expect(r.gradClip).toBe(12);
    const p = make('primus').recipe({ epochs: 1000 });
    expect(p.optimizer).toBeInstanceOf(AdamW);
    expect(p.gradClip).toBe(1);
    expect(scheduleFor(p.schedule, 'default').lr(0)).toBeCloseTo(3e-4 / 50, 12);
  });

  it("should keep the encoder under the architecture's keys for the adaptation plan", () => {
    expect(make('resenc').adaptationPlan()).toMatchObject({ key_to_encoder: 'encoder.stages', key_to_stem: 'encoder.stem' });
    expect(make('primus').adaptationPlan()).toMatchObject({ key_to_encoder: 'eva', key_to_stem: 'down_projection', key_to_lpe: 'eva.pos_embed' });
  });
});
