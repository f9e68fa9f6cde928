import { ArchitectureId, createRuntime, Rng, setBackend, validatePlugin } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import plugin, { resencFactory } from './index.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';

setBackend(new ReferenceBackend());
const options = { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16] as const, rng: new Rng(0) };

describe('resenc plugin', () => {
  it('should be a valid plugin that binds the factory under ArchitectureId, named "resenc"', () => {
    expect(validatePlugin(plugin).meta).toMatchObject({ name: 'resenc' });
    const runtime = createRuntime({ plugins: [plugin] });
    expect(runtime.names(ArchitectureId)).toEqual(['resenc']);
    expect(runtime.resolve(ArchitectureId, 'resenc')).toBe(resencFactory);
  });
});

describe('resencFactory', () => {
  describe('.create', () => {
    it('should build every preset it lists from the same class, with nnssl arch names', () => {
      expect(resencFactory.presets).toEqual(['resenc-l', 'resenc-small', 'resenc-tiny']);
      const tiny = resencFactory.create('resenc-tiny', { ...options, encoderOnly: true });
      expect(tiny).toBeInstanceOf(ResidualEncoderUNet);
      expect(tiny.archClassName).toBe('ResidualEncoderUNet');
      expect(tiny.archKwargs).toMatchObject({ features_per_stage: [8, 16, 32, 64] });
      expect(tiny.decoder).toBeUndefined();
      tiny.dispose();
    });

    it('should pass init, deepSupervision and channels through', () => {
      const net = resencFactory.create('resenc-tiny', { ...options, outChannels: 2, deepSupervision: true, init: 'he' });
      expect(net.decoder!.deepSupervision).toBe(true);
      expect(net.stateDict().get('decoder.seg_layers.0.weight')!.shape).toEqual([2, 32, 1, 1, 1]);
      expect([...net.stateDict().get('encoder.stages.0.blocks.0.conv2.norm.weight')!.dataSync()].every((v) => v === 0)).toBe(true);
      net.dispose();
    });

    it('should suggest the nearest preset for an unknown name', () => {
      expect(() => resencFactory.create('resenc-tiyn', options)).toThrow(/no preset named "resenc-tiyn"\. Did you mean 'resenc-tiny'\? Available: resenc-l, resenc-small, resenc-tiny\./);
    });

    it("should refuse a patch size the preset's strides cannot divide", () => {
      expect(() => resencFactory.create('resenc-l', { ...options, patchSize: [160, 160, 100] })).toThrow(
        /patchSize \[160, 160, 100\] must be divisible by the total stride \[32, 32, 32\] of preset "resenc-l"/,
      );
    });
  });
});
