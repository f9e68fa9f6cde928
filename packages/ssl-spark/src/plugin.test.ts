import { primusFactory } from '@openmind-ssl/arch-primus';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { createRuntime, createSslMethod, Rng, setBackend, SSLMethodId } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import sparkPlugin, { type SparkMethod, sparkConfigSchema, sparkFactory } from './index.js';

setBackend(new ReferenceBackend());

describe('the SparK plugin', () => {
  it("should bind sparkFactory under SSLMethodId as 'spark'", () => {
    const rt = createRuntime({ plugins: [sparkPlugin] });
    expect(rt.resolve(SSLMethodId, 'spark')).toBe(sparkFactory);
    expect(sparkPlugin.meta.name).toBe('spark');
  });

  it("should default to nnssl's SparkMAETrainer settings, with the input masked", () => {
    expect(sparkConfigSchema.parse({})).toEqual({
      maskRatio: 0.75, blockSize: 16, maskInput: true, excludeAnonymized: false, lr: 1e-2, momentum: 0.99, nesterov: true, weightDecay: 3e-5, gradClip: 12,
    });
    expect(() => sparkConfigSchema.parse({ maskInput: 'no' })).toThrow(/maskInput/);
  });

  it("should hold the plain ResEnc keys plus nnssl's SparK keys: a mask token per stage, projections from stage 1", () => {
    const method = createSslMethod(sparkFactory, { config: { blockSize: 4 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) }) as SparkMethod;
    const keys = [...method.network.stateDict().keys()];
    const plain = [...resencFactory.create('resenc-tiny', { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0) }).stateDict().keys()];
    expect(keys.filter((k) => k.startsWith('encoder.') || k.startsWith('decoder.'))).toEqual(plain);
    expect(keys.filter((k) => !plain.includes(k))).toEqual([
      'mask_tokens.0', 'mask_tokens.1', 'mask_tokens.2', 'mask_tokens.3',
      'densify_projs.1.weight', 'densify_projs.1.bias', 'densify_projs.2.weight', 'densify_projs.2.bias', 'densify_projs.3.weight', 'densify_projs.3.bias',
    ]);
    expect(method.adaptationPlan().key_to_encoder).toBe('encoder.stages');
  });

  it('should refuse a transformer, naming the members it lacks', () => {
    expect(() => createSslMethod(sparkFactory, { config: {}, architecture: primusFactory, preset: 'primus-tiny', inChannels: 1, patchSize: [32, 32, 32], rng: new Rng(0) }))
      .toThrow(/SparK: architecture 'primus' must build networks that encode sparsely .* lacks encodeSparse\(\) and decodeFeatures\(\)/);
  });
});
