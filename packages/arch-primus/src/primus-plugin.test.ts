import { ArchitectureId, buildsTokenNetworks, createRuntime, isTokenNetwork, Rng, setBackend, validatePlugin } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import plugin, { PRIMUS_PRESETS, primusFactory } from './index.js';
import { Primus } from './primus.js';

setBackend(new ReferenceBackend());
const options = { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16] as const, rng: new Rng(0) };

describe('primus plugin', () => {
  it('should be a valid plugin that binds the factory under ArchitectureId, named "primus"', () => {
    expect(validatePlugin(plugin).meta).toMatchObject({ name: 'primus' });
    const runtime = createRuntime({ plugins: [plugin] });
    expect(runtime.names(ArchitectureId)).toEqual(['primus']);
    expect(runtime.resolve(ArchitectureId, 'primus')).toBe(primusFactory);
  });
});

describe('primusFactory', () => {
  describe('.create', () => {
    it('should list the reference presets and a tiny one', () => {
      expect(primusFactory.presets).toEqual(['primus-s', 'primus-b', 'primus-m', 'primus-l', 'primus-tiny']);
    });

    it("should carry nnssl's adaptation keys, and DNA kwargs for a config nnssl has no name for", () => {
      const net = primusFactory.create('primus-tiny', { ...options, dropPathRate: 0.2 });
      expect(net).toBeInstanceOf(Primus);
      expect(net).toMatchObject({ keyToEncoder: 'eva', keyToStem: 'down_projection', keysToInProj: ['down_projection.proj'], keyToLpe: 'eva.pos_embed', archClassName: 'Primus' });
      expect(net.archKwargs).toMatchObject({ embed_dim: 96, eva_depth: 4, eva_numheads: 4, patch_embed_size: [8, 8, 8] });
      expect(net.eva.blocks.items.at(-1)!.dropPath).toBeCloseTo(0.2, 12);
      expect(net.tokenGrid).toEqual([2, 2, 2]);
      net.dispose();
    });

    it("should name nnssl's preset classes (PrimusS … PrimusL, no kwargs) and refuse such a name on another config", () => {
      expect(['primus-s', 'primus-b', 'primus-m', 'primus-l'].map((p) => PRIMUS_PRESETS[p]!.archClassName)).toEqual(['PrimusS', 'PrimusB', 'PrimusM', 'PrimusL']);
      expect(() => new Primus(PRIMUS_PRESETS['primus-tiny']!.config, { ...options, archClassName: 'PrimusM' })).toThrow(/archClassName 'PrimusM' must be one of/);
    });

    it("should build core TokenNetworks, which core's guards recognise by their members", () => {
      expect(buildsTokenNetworks(primusFactory)).toBe(true);
      const net = primusFactory.createTokenNetwork('primus-tiny', options);
      expect(isTokenNetwork(net)).toBe(true);
      expect([net.tokenGrid, net.tokenPatch, net.tokenWidth]).toEqual([[2, 2, 2], [8, 8, 8], 96]);
      net.dispose();
    });

    it('should suggest the nearest preset for an unknown name', () => {
      expect(() => primusFactory.create('primus-tyni', options)).toThrow(/no preset named "primus-tyni"\. Did you mean 'primus-tiny'\? Available: primus-s, primus-b, primus-m, primus-l, primus-tiny\./);
    });

    it('should refuse a patch size that is not a multiple of the 8³ tokens, and deep supervision', () => {
      expect(() => primusFactory.create('primus-tiny', { ...options, patchSize: [16, 16, 12] })).toThrow(/patchSize \[16, 16, 12\] must be positive multiples of the token size \[8, 8, 8\]/);
      expect(() => primusFactory.create('primus-tiny', { ...options, deepSupervision: true })).toThrow(/no deep supervision/);
    });
  });
});
