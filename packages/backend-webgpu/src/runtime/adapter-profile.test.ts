import { describe, expect, it } from 'vitest';
import { chooseProfile } from './adapter-profile.js';

function adapter(info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }, storage = 32768): GPUAdapter {
  return {
    info: { vendor: '', architecture: '', device: '', description: '', ...info },
    limits: { maxComputeWorkgroupStorageSize: storage, maxComputeInvocationsPerWorkgroup: 256 },
  } as unknown as GPUAdapter;
}

describe('chooseProfile', () => {
  it('should choose register-blocked kernels on lavapipe', () => {
    const p = chooseProfile(adapter({ vendor: 'mesa', device: 'llvmpipe-llvm-15', description: 'llvmpipe: Mesa 25.0.7' }));
    expect(p.variant).toBe('register');
    expect(p.software).toBe(true);
  });

  it('should choose register-blocked kernels on any fallback adapter', () => {
    expect(chooseProfile(adapter({ vendor: 'google', isFallbackAdapter: true })).variant).toBe('register');
  });

  it('should choose tiled kernels on a hardware GPU', () => {
    const p = chooseProfile(adapter({ vendor: 'nvidia', architecture: 'ampere' }));
    expect(p.variant).toBe('tiled');
    expect(p.software).toBe(false);
  });

  it('should fall back to register kernels when workgroup memory cannot hold the tiles', () => {
    expect(chooseProfile(adapter({ vendor: 'nvidia' }, 4096)).variant).toBe('register');
  });

  it('should honour a forced variant', () => {
    expect(chooseProfile(adapter({ vendor: 'mesa', device: 'llvmpipe' }), 'tiled').variant).toBe('tiled');
  });
});
