import {
  acceptsStageHook, type ArchitectureFactory, buildsFromAdaptationPlan, buildsTokenNetworks, factoryForArchClass, hasEncoderFeatures,
  hasPytorchKeys, identityPytorchKeys, isTokenNetwork, missingTokenMembers, type PytorchKeyMapping, pytorchKeysOf, shortArchClassName,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';

// Core's capability guards look at the members a capability needs, never at a tag. Plain objects are enough.
const fn = () => undefined;
const base: ArchitectureFactory = { name: 'plain', presets: ['p'], create: fn as never };

describe('architecture capability guards', () => {
  it('should recognise encoder features and the stage hook by their members only', () => {
    expect(hasEncoderFeatures({ encode: fn, featureChannels: [8], featureStrides: [[1, 1, 1]] })).toBe(true);
    expect(hasEncoderFeatures({ encode: fn, featureChannels: [8] })).toBe(false);
    expect(hasEncoderFeatures(undefined)).toBe(false);
    expect(acceptsStageHook({ encodeWithStageHook: fn })).toBe(true);
    expect(acceptsStageHook({ encode: fn, kind: 'stage-hook' })).toBe(false);
  });

  it('should recognise a token network only when every member is there, and list what is missing', () => {
    const token = { tokenGrid: [2, 2, 2], tokenPatch: [8, 8, 8], embedTokens: fn, encodeTokens: fn, decodeTokens: fn, tokenFlagsToVoxels: fn, createTokenTransformer: fn };
    expect(isTokenNetwork(token)).toBe(true);
    expect(missingTokenMembers(token)).toEqual([]);
    const { decodeTokens: _d, tokenPatch: _p, ...partial } = token;
    expect(isTokenNetwork(partial)).toBe(false);
    expect(missingTokenMembers(partial)).toEqual(['decodeTokens()', 'tokenPatch']);
    expect(isTokenNetwork({ networkKind: 'token-transformer' })).toBe(false);
  });

  it('should recognise factory capabilities: token networks, plan building, PyTorch keys', () => {
    expect(buildsTokenNetworks({ ...base, createTokenNetwork: fn } as never)).toBe(true);
    expect(buildsTokenNetworks({ ...base, networkKind: 'token-transformer' } as never)).toBe(false);
    expect(buildsFromAdaptationPlan({ ...base, fromAdaptationPlan: fn, archClassNames: ['X'] } as never)).toBe(true);
    expect(buildsFromAdaptationPlan({ ...base, fromAdaptationPlan: fn } as never)).toBe(false);
    const keys: PytorchKeyMapping = { name: 'k', toTorch: (m) => new Map(m), canonicalKey: (k) => k.replace('.alias', ''), isAlias: (k) => k.endsWith('.alias') };
    expect(hasPytorchKeys({ ...base, pytorchKeys: keys } as never)).toBe(true);
    expect(pytorchKeysOf({ ...base, pytorchKeys: keys } as never)).toBe(keys);
    expect(pytorchKeysOf(base)).toBe(identityPytorchKeys);
    expect(pytorchKeysOf(undefined)).toBe(identityPytorchKeys);
  });

  it("should find the factory that builds a plan's arch_class_name, ignoring its module path", () => {
    const resenc = { ...base, name: 'resenc', fromAdaptationPlan: fn, archClassNames: ['ResEncL', 'ResidualEncoderUNet'] } as never;
    const primus = { ...base, name: 'primus', fromAdaptationPlan: fn, archClassNames: ['PrimusM'] } as never;
    expect(shortArchClassName('nnssl.architectures.ResEncL')).toBe('ResEncL');
    expect(factoryForArchClass([base, primus, resenc], 'nnssl.architectures.ResEncL')).toBe(resenc);
    expect(factoryForArchClass([base, primus, resenc], 'PrimusM')).toBe(primus);
    expect(factoryForArchClass([base, primus, resenc], 'SwinUNETR')).toBeUndefined();
  });
});
