import { Rng, setBackend, tensor, tidy, type Tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { resEncParameterShapes } from './parameter-shapes.js';
import { RESENC_PRESETS } from './presets.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';
import { withoutTorchAliases, withTorchAliases } from './torch-aliases.js';
import { filled, forwardCases, maxRelativeError } from './test-support/resenc-fixtures.js';

setBackend(new ReferenceBackend());
const TINY = RESENC_PRESETS['resenc-tiny']!.config;
const SMALL = RESENC_PRESETS['resenc-small']!.config;
const shapesOf = (net: ResidualEncoderUNet): [string, number[]][] => [...net.stateDict()].map(([k, t]) => [k, [...t.shape]]);
const planOf = (...args: Parameters<typeof resEncParameterShapes>): [string, number[]][] => resEncParameterShapes(...args).map(([k, s]) => [k, [...s]]);
const input = (shape: number[], seed = 1): Tensor => tensor(new Rng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);

describe('ResidualEncoderUNet', () => {
  describe('.stateDict', () => {
    it('should hold exactly the keys and shapes of the layer plan for resenc-tiny and resenc-small', () => {
      for (const config of [TINY, SMALL]) {
        const net = new ResidualEncoderUNet(config, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
        expect(shapesOf(net)).toEqual(planOf(config, { inChannels: 1, outChannels: 1 }));
        net.dispose();
      }
    });

    it('should size the stem and seg layers by the channel counts (2 in, 3 out)', () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 2, outChannels: 3, rng: new Rng(0) });
      expect(shapesOf(net)).toEqual(planOf(TINY, { inChannels: 2, outChannels: 3 }));
      expect(net.stateDict().get('encoder.stem.convs.0.conv.weight')!.shape).toEqual([8, 2, 3, 3, 3]);
      expect(net.stateDict().get('decoder.seg_layers.2.weight')!.shape).toEqual([3, 8, 1, 1, 1]);
      net.dispose();
    });
  });

  describe('.forward', () => {
    // Tolerance: the fixtures are float64 PyTorch outputs with 10 significant digits; the reference backend
    // computes in float64 and rounds to float32 on read, so 1e-5 relative (floor 1e-3) leaves ample margin.
    for (const c of forwardCases()) {
      it(`should match PyTorch on resenc-tiny, case ${c.name}, within 1e-5 relative`, async () => {
        const net = new ResidualEncoderUNet(TINY, { inChannels: c.inChannels, outChannels: c.outChannels, deepSupervision: c.deepSupervision, rng: new Rng(0) });
        const weights = new Map(c.weights.map((r) => [r.key, filled(r)]));
        // Load through the PyTorch key set (aliases added, then removed) as a released checkpoint would be.
        net.loadStateDict(withoutTorchAliases(withTorchAliases(weights)), { strict: true });
        const x = filled(c.input);
        const skips = tidy(() => net.encode(x));
        for (const [s, m] of skips.entries()) {
          const v = Array.from(await m.data());
          const ref = c.encoder[s]!;
          expect(m.shape).toEqual(ref.shape);
          expect(maxRelativeError(v.slice(0, 16), ref.first)).toBeLessThan(1e-5);
          expect(Math.abs(v.reduce((a, b) => a + b * b, 0) - ref.sumSquares) / ref.sumSquares).toBeLessThan(1e-5);
        }
        // One encoder pass per case (the reference backend is slow): the decoder runs on the skips above.
        // Case 1in-1out maps [1, 1, 16, 16, 16] to [1, 1, 16, 16, 16]; forward() = decoder(encode(x))[0] is
        // pinned separately below.
        const outs = tidy(() => net.decoder!.forward(skips));
        expect(outs.map((o) => o.shape)).toEqual(c.outputs.map((o) => o.shape));
        for (const [i, o] of outs.entries()) expect(maxRelativeError(await o.data(), c.outputs[i]!.data)).toBeLessThan(1e-5);
        net.dispose();
      });
    }

    it('should compute only the full-resolution seg layer without deep supervision', () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 2, rng: new Rng(0) });
      const x = input([1, 1, 8, 8, 8]);
      const outs = tidy(() => net.forwardDeepSupervision(x));
      expect(outs.map((o) => o.shape)).toEqual([[1, 2, 8, 8, 8]]);
      expect(tidy(() => net.forward(x)).dataSync()).toEqual(outs[0]!.dataSync());
      net.dispose();
    });

    it('should throw for a wrong channel count or a size not divisible by the total stride', () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
      expect(() => net.forward(input([1, 2, 16, 16, 16]))).toThrow(/input must be \[N, 1, D, H, W\], but got \[1, 2, 16, 16, 16\]/);
      expect(() => net.forward(input([1, 1, 16, 12, 16]))).toThrow(/spatial size \[16, 12, 16\] must be divisible by the total stride \[8, 8, 8\]/);
      net.dispose();
    });

    it('should give every used parameter a finite gradient, and none to the unused seg layers', () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
      tidy(() => net.forward(input([1, 1, 8, 8, 8])).square().mean().backward());
      const withGrad = net.namedParameters().filter(([, p]) => p.grad).map(([k]) => k);
      const expected = net.namedParameters().map(([k]) => k).filter((k) => !/^decoder\.seg_layers\.[01]\./.test(k));
      expect(withGrad).toEqual(expected);
      for (const [, p] of net.namedParameters()) if (p.grad) expect(p.grad.dataSync().every(Number.isFinite)).toBe(true);
      net.dispose();
    });
  });

  describe('having encoderOnly', () => {
    it('should have no decoder keys, return every stage from encode and the bottleneck from forward', () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, encoderOnly: true, rng: new Rng(0) });
      expect(shapesOf(net)).toEqual(planOf(TINY, { inChannels: 1, outChannels: 1, encoderOnly: true }));
      const x = input([2, 1, 8, 8, 16]);
      const maps = tidy(() => net.encode(x));
      expect(maps.map((m) => m.shape)).toEqual([[2, 8, 8, 8, 16], [2, 16, 4, 4, 8], [2, 32, 2, 2, 4], [2, 64, 1, 1, 2]]);
      const y = tidy(() => net.forward(x));
      expect(y.shape).toEqual([2, 64, 1, 1, 2]);
      expect(y.dataSync()).toEqual(maps[3]!.dataSync());
      expect(() => net.forwardDeepSupervision(x)).toThrow(/encoderOnly/);
      net.dispose();
    });

    it('should return the six stage maps of the resenc-l layout (checked on a narrow copy)', () => {
      // resenc-l's stage layout with 2 channels per stage: same strides and block counts, cheap on the reference backend.
      const narrow = { ...RESENC_PRESETS['resenc-l']!.config, featuresPerStage: [2, 2, 2, 2, 2, 2] };
      const net = new ResidualEncoderUNet(narrow, { inChannels: 1, outChannels: 1, encoderOnly: true, rng: new Rng(0) });
      const maps = tidy(() => net.encode(input([1, 1, 32, 32, 32])));
      expect(maps.map((m) => m.shape)).toEqual([[1, 2, 32, 32, 32], [1, 2, 16, 16, 16], [1, 2, 8, 8, 8], [1, 2, 4, 4, 4], [1, 2, 2, 2, 2], [1, 2, 1, 1, 1]]);
      net.dispose();
    });
  });

  describe('initialisation', () => {
    it("should use PyTorch's defaults by default: conv weights within ±1/√fan_in, norms 1 and 0", () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(3) });
      const sd = net.stateDict();
      const w = sd.get('encoder.stages.3.blocks.0.conv2.conv.weight')!.dataSync();
      const bound = 1 / Math.sqrt(64 * 27);
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.99 * bound);
      expect([...sd.get('encoder.stages.3.blocks.0.conv2.norm.weight')!.dataSync()].every((v) => v === 1)).toBe(true);
      expect([...sd.get('encoder.stages.3.blocks.0.conv2.norm.bias')!.dataSync()].every((v) => v === 0)).toBe(true);
      net.dispose();
    });

    it("should apply DNA's initialize with init 'he': kaiming-normal(a=0.01) weights, zero biases, zeroed last norm of each block", () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(3), init: 'he' });
      const sd = net.stateDict();
      const std = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((a, b) => a + b * b, 0) / v.length);
      const gain = Math.sqrt(2 / (1 + 1e-4));
      // 110,592 draws: the sample std is within 1% of the true one with overwhelming probability.
      expect(std(sd.get('encoder.stages.3.blocks.0.conv2.conv.weight')!.dataSync()) / (gain / Math.sqrt(64 * 27))).toBeCloseTo(1, 1);
      // Transposed conv: PyTorch's fan_in of a [C_in, C_out, k, k, k] weight is C_out·k³.
      expect(std(sd.get('decoder.transpconvs.0.weight')!.dataSync()) / (gain / Math.sqrt(32 * 8))).toBeCloseTo(1, 1);
      for (const [k, t] of sd) {
        const v = [...t.dataSync()];
        if (/conv\.bias$|transpconvs\.\d+\.bias$|seg_layers\.\d+\.bias$/.test(k)) expect(v.every((x) => x === 0), k).toBe(true);
        if (/conv2\.norm\.(weight|bias)$/.test(k)) expect(v.every((x) => x === 0), k).toBe(true);
        if (/conv1\.norm\.weight$|stem\.convs\.0\.norm\.weight$/.test(k)) expect(v.every((x) => x === 1), k).toBe(true);
      }
      net.dispose();
    });
  });

  describe('adaptation attributes', () => {
    it("should expose nnssl's key_to_encoder, key_to_stem and keys_to_in_proj, and resolve the canonical ones", () => {
      const net = new ResidualEncoderUNet(TINY, { inChannels: 1, outChannels: 1, rng: new Rng(0) });
      expect(net.keyToEncoder).toBe('encoder.stages');
      expect(net.keyToStem).toBe('encoder.stem');
      expect(net.keysToInProj).toEqual(['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0']);
      const keys = [...net.stateDict().keys()];
      expect(keys.some((k) => k.startsWith(`${net.keyToEncoder}.`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${net.keyToStem}.`))).toBe(true);
      expect(keys).toContain(`${net.keysToInProj[0]}.weight`);
      // The second in-proj key is the alias nnssl writes; it exists in the PyTorch key set.
      expect([...withTorchAliases(net.stateDict()).keys()]).toContain(`${net.keysToInProj[1]}.weight`);
      net.dispose();
    });
  });
});
