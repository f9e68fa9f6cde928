import { Rng, setBackend, type Tensor, tensor } from '@openmind-ssl/core';
import { ReferenceBackend } from '@openmind-ssl/testing';
import { describe, expect, it } from 'vitest';
import { primusParameterShapes } from './parameter-shapes.js';
import { PRIMUS_PRESETS } from './presets.js';
import { Primus } from './primus.js';
import { filled, filledDict, keysFixture, maxRelativeError, primusForwardFixture } from './test-support/primus-fixtures.js';

const backend = new ReferenceBackend();
setBackend(backend);
const tiny = PRIMUS_PRESETS['primus-tiny']!.config;

function stats(values: Float32Array): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}

describe('Primus', () => {
  describe('having primus-tiny at 16×24×32', () => {
    const build = () => new Primus(tiny, { inChannels: 1, outChannels: 1, patchSize: [16, 24, 32], rng: new Rng(0), archClassName: 'Primus' });

    it("should hold exactly PyTorch's keys and shapes: parameters in order, then the mask_token buffer", () => {
      const net = build();
      const torch = keysFixture().presets['primus-tiny']!;
      const buffers = new Set(net.namedBuffers(true).map(([k]) => k));
      const ours = [...net.stateDict()].map(([k, t]) => [k, [...t.shape], buffers.has(k) ? 'buffer' : 'param']);
      expect(ours.filter(([, , kind]) => kind === 'param')).toEqual(torch.keys.filter(([, , kind]) => kind === 'param'));
      expect(ours.filter(([, , kind]) => kind === 'buffer')).toEqual(torch.keys.filter(([, , kind]) => kind === 'buffer'));
      expect(net.parameterCount()).toBe(torch.counts.trainable);
      expect([...net.stateDict()].map(([k, t]) => [k, [...t.shape]]).filter(([k]) => k !== 'mask_token'))
        .toEqual(primusParameterShapes(tiny, { inChannels: 1, outChannels: 1, patchSize: [16, 24, 32] }).map(([k, s]) => [k, [...s]]));
      net.dispose();
    });

    it('should map [N, 1, d, h, w] to the same shape and encode to one [N, 96, d/8, h/8, w/8] map', () => {
      const net = new Primus(tiny, { inChannels: 1, outChannels: 1, patchSize: [8, 16, 8], rng: new Rng(0) });
      const x = tensor(new Float32Array(2 * 8 * 16 * 8).map((_, i) => Math.cos(i / 7)), [2, 1, 8, 16, 8]);
      expect(net.forward(x).shape).toEqual([2, 1, 8, 16, 8]);
      expect(net.encode(x).map((t) => t.shape)).toEqual([[2, 96, 1, 2, 1]]);
      expect(net.featureChannels).toEqual([96]);
      net.dispose();
    });

    it("should initialise like DNA and timm: He projections with zero bias, trunc-normal(0.02) linears and pos_embed, fc2/proj scaled by 1/√(2ℓ), LayerScale 0.1, zero mask_token", async () => {
      const net = build();
      const sd = net.stateDict();
      const read = async (k: string) => (await sd.get(k)!.floats());
      expect((await read('down_projection.proj.bias')).every((v) => v === 0)).toBe(true);
      expect(stats(await read('down_projection.proj.weight')).std).toBeCloseTo(Math.sqrt(2 / 1.0001) / Math.sqrt(512), 2);
      expect((await read('up_projection.decode.2.bias')).every((v) => v === 0)).toBe(true);
      for (const k of ['eva.blocks.0.attn.q_proj.bias', 'eva.blocks.3.mlp.fc2.bias', 'mask_token']) expect((await read(k)).every((v) => v === 0), k).toBe(true);
      for (const k of ['eva.blocks.0.gamma_1', 'eva.blocks.3.gamma_2']) expect((await read(k)).every((v) => Math.abs(v - 0.1) < 1e-7), k).toBe(true);
      const posEmbed = await read('eva.pos_embed');
      expect(stats(posEmbed).std).toBeGreaterThan(0.015);
      expect(stats(posEmbed).std).toBeLessThan(0.025);
      expect(posEmbed.every((v) => Math.abs(v) <= 2)).toBe(true);
      expect(stats(await read('eva.blocks.2.attn.q_proj.weight')).std).toBeCloseTo(0.02, 2);
      // fix_init_weight: block ℓ (1-based) divides attn.proj and mlp.fc2 by √(2ℓ): block 4 → 0.02/√8
      expect(stats(await read('eva.blocks.3.attn.proj.weight')).std / 0.02 * Math.sqrt(8)).toBeCloseTo(1, 1);
      expect(stats(await read('eva.blocks.3.mlp.fc2.weight')).std / 0.02 * Math.sqrt(8)).toBeCloseTo(1, 1);
      net.dispose();
    });

    it('should refuse an input of another size than it was built for', () => {
      const net = build();
      expect(() => net.forward(tensor(new Float32Array(16 ** 3), [1, 1, 16, 16, 16]))).toThrow(/input must be \[N, 1, 16, 24, 32\]/);
      net.dispose();
    });

    it('should build without up_projection in encoder-only mode, forward giving the token volume', () => {
      const net = new Primus(tiny, { inChannels: 1, outChannels: 1, patchSize: [16, 16, 16], rng: new Rng(0), encoderOnly: true });
      expect([...net.stateDict().keys()].some((k) => k.startsWith('up_projection'))).toBe(false);
      expect(net.forward(tensor(new Float32Array(16 ** 3), [1, 1, 16, 16, 16])).shape).toEqual([1, 96, 2, 2, 2]);
      net.dispose();
    });
  });

  describe('against a plain-PyTorch Primus (tools/gen_primus_fixtures.py)', () => {
    // Width 24, 2 blocks, 4³ tokens, 2 → 3 channels, input 8×12×16 (token grid 2×3×4): a wrong token
    // order, RoPE axis or PatchDecode layout changes the output.
    const f = primusForwardFixture();
    const run = (): { y: Tensor; features: Tensor } => {
      const config = { ...tiny, ...f.config };
      const net = new Primus(config, { inChannels: f.inChannels, outChannels: f.outChannels, patchSize: f.patchSize, rng: new Rng(0) });
      expect(net.up_projection!.plan.channels).toEqual(f.decodeChannels);
      net.loadStateDict(new Map([...filledDict(f.weights), ['mask_token', net.mask_token]]));
      const x = filled(f.input);
      return { y: net.forward(x), features: net.encode(x)[0]! };
    };

    it('should match its output and encoder feature map to 1e-4 relative', async () => {
      const { y, features } = run();
      expect(y.shape).toEqual(f.output.shape);
      expect(features.shape).toEqual(f.features.shape);
      expect(maxRelativeError(await y.floats(), f.output.data)).toBeLessThan(1e-4);
      expect(maxRelativeError(await features.floats(), f.features.data)).toBeLessThan(1e-4);
    });
  });
});
