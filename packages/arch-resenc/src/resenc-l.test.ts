import { Rng, setBackend } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { resencFactory } from './resenc-factory.js';
import { keysFixture } from './test-support/resenc-fixtures.js';

// The one test that builds the real ResEnc-L: 102 M float32 draws plus float64 storage on the reference
// backend, about 5 s and 0.9 GB of memory on this machine. Everything else about resenc-l is checked on
// its layer plan (parameter-shapes.test.ts) without allocating it.
describe('resenc-l', () => {
  it('should build with exactly 102,348,965 parameters under the PyTorch keys and shapes', () => {
    const backend = new ReferenceBackend();
    setBackend(backend);
    const net = resencFactory.create('resenc-l', { inChannels: 1, outChannels: 1, patchSize: [160, 160, 160], rng: new Rng(0) });
    try {
      expect(net.parameterCount()).toBe(102_348_965);
      const torch = keysFixture().presets['resenc-l']!.keys.filter(([, , alias]) => !alias).map(([k, s]) => [k, s]);
      expect([...net.stateDict()].map(([k, t]) => [k, [...t.shape]])).toEqual(torch);
      expect(net.archClassName).toBe('ResEncL');
      expect(net.archKwargs).toBeNull();
    } finally {
      net.dispose();
    }
    expect(backend.memory().handles).toBe(0);
  });
});
