import {
  AvgPool3d, Conv3d, ConvTranspose3d, GELU, GroupNorm, InstanceNorm3d, LayerNorm, LeakyReLU, Linear, MaxPool3d,
  type Module, Rng, Sequential, SiLU, type Tensor, setBackend, tensor, tidy,
} from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { coreFixture, type FixtureArray, maxRelativeError } from './fixtures.js';

interface ModuleCase {
  name: string;
  state: Record<string, FixtureArray>;
  input: FixtureArray;
  output: FixtureArray;
}

setBackend(new ReferenceBackend());
const rng = new Rng(0);
const BUILD: Record<string, () => Module & { forward(x: Tensor): Tensor }> = {
  Conv3d: () => new Conv3d(2, 3, 3, { stride: 2, padding: 1, rng }),
  'Conv3d/no-bias-groups': () => new Conv3d(4, 2, [1, 3, 3], { padding: [0, 1, 1], groups: 2, bias: false, rng }),
  ConvTranspose3d: () => new ConvTranspose3d(3, 2, 2, { stride: 2, rng }),
  InstanceNorm3d: () => new InstanceNorm3d(3),
  LayerNorm: () => new LayerNorm(6),
  GroupNorm: () => new GroupNorm(2, 4),
  Linear: () => new Linear(5, 3, { rng }),
  LeakyReLU: () => new LeakyReLU(),
  GELU: () => new GELU(),
  SiLU: () => new SiLU(),
  AvgPool3d: () => new AvgPool3d({ kernelSize: 2 }),
  MaxPool3d: () => new MaxPool3d({ kernelSize: 2 }),
  Sequential: () => new Sequential(new Conv3d(1, 2, 3, { padding: 1, rng }), new InstanceNorm3d(2), new LeakyReLU()),
};

// Tolerance: fixtures are float64 PyTorch outputs; the reference backend computes in float64 and rounds
// to float32 on read, so 1e-6 relative covers the final rounding.
describe('nn modules against PyTorch', () => {
  for (const c of coreFixture<ModuleCase[]>('modules')) {
    it(`should match torch.nn.${c.name}: state-dict keys and forward output`, async () => {
      const m = BUILD[c.name]!();
      expect([...m.stateDict().keys()].sort()).toEqual(Object.keys(c.state).sort());
      const y = tidy(() => {
        m.loadStateDict(new Map(Object.entries(c.state).map(([k, v]) => [k, tensor(v.data, v.shape)])));
        return m.forward(tensor(c.input.data, c.input.shape));
      });
      expect(y.shape).toEqual(c.output.shape);
      expect(maxRelativeError(await y.data(), c.output.data)).toBeLessThan(1e-6);
    });
  }
});

describe('Module.loadStateDict', () => {
  it('should leave the module untouched when one key has the wrong shape', async () => {
    const m = new Sequential(new Conv3d(1, 2, 3, { rng }), new Conv3d(2, 2, 1, { rng }));
    const before = await Promise.all(m.parameters().map((p) => p.data()));
    const dict = new Map([...m.stateDict()].map(([k, t]) => [k, k === '1.weight' ? tensor(new Float32Array(8), [2, 2, 2, 1, 1]) : t.add(1)]));
    expect(() => m.loadStateDict(dict)).toThrow(/'1.weight' has float32\[2,2,2,1,1\], the module expects float32\[2,2,1,1,1\]/);
    const after = await Promise.all(m.parameters().map((p) => p.data()));
    expect(after).toEqual(before);
  });

  it('should name missing and unexpected keys in strict mode', () => {
    const m = new Linear(2, 2, { rng });
    expect(() => m.loadStateDict(new Map([['weight', m.weight], ['extra', m.weight]]))).toThrow(/missing key\(s\) \[bias\].*unexpected key\(s\) \[extra\]/);
  });
});

describe('initialisation', () => {
  it('should draw PyTorch default conv weights within ±1/sqrt(fan_in)', async () => {
    const conv = new Conv3d(4, 8, 3, { rng: new Rng(5) });
    const w = await conv.weight.data();
    const bound = 1 / Math.sqrt(4 * 27);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
  });
});
