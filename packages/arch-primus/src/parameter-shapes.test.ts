import { describe, expect, it } from 'vitest';
import { patchDecodePlan } from './patch-decode.js';
import {
  evaParameterShapes, primusBufferCount, primusParameterCount, primusParameterShapes,
} from './parameter-shapes.js';
import { PRIMUS_PRESETS } from './presets.js';
import { keysFixture } from './test-support/primus-fixtures.js';

const M = PRIMUS_PRESETS['primus-m']!.config;
const at160 = { inChannels: 1, outChannels: 1, patchSize: [160, 160, 160] as const };
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const countUnder = (prefix: string): number =>
  primusParameterShapes(M, at160).reduce((n, [k, s]) => (k === prefix || k.startsWith(`${prefix}.`) ? n + sizeOf(s) : n), 0);

describe('primusParameterShapes', () => {
  describe('having primus-m at 160³ with 1 input and 1 output channel', () => {
    it('should count exactly 151,786,529 trainable parameters, 151,787,393 with the 864-element mask_token buffer (nnssl-spec §4.3)', () => {
      expect(primusParameterCount(M, at160)).toBe(151_786_529);
      expect(primusBufferCount(M)).toBe(864);
      expect(primusParameterCount(M, at160) + primusBufferCount(M)).toBe(151_787_393);
    });

    it('should split the count as the reference does: eva 150,554,304 (pos_embed 6,912,000, 8,977,536 per block), down 443,232, up 788,993', () => {
      expect(countUnder('eva')).toBe(150_554_304);
      expect(countUnder('eva.pos_embed')).toBe(6_912_000);
      for (const b of [0, 7, 15]) expect(countUnder(`eva.blocks.${b}`)).toBe(8_977_536);
      expect(countUnder('down_projection')).toBe(443_232);
      expect(countUnder('up_projection')).toBe(788_993);
    });

    it('should hold the documented keys: k_proj without bias, gammas, inner norms, SwiGLU', () => {
      const keys = new Map(primusParameterShapes(M, at160));
      expect(keys.get('down_projection.proj.weight')).toEqual([864, 1, 8, 8, 8]);
      expect(keys.get('eva.pos_embed')).toEqual([1, 8000, 864]);
      expect(keys.has('eva.blocks.0.attn.k_proj.bias')).toBe(false);
      expect(keys.get('eva.blocks.3.gamma_1')).toEqual([864]);
      expect(keys.get('eva.blocks.3.attn.norm.weight')).toEqual([864]);
      expect(keys.get('eva.blocks.3.mlp.fc1_g.weight')).toEqual([2304, 864]);
      expect(keys.get('eva.blocks.3.mlp.norm.weight')).toEqual([2304]);
      expect(keys.get('up_projection.decode.0.0.weight')).toEqual([864, 112, 2, 2, 2]);
      expect(keys.get('up_projection.decode.2.weight')).toEqual([16, 1, 2, 2, 2]);
    });
  });

  describe('against the PyTorch state dicts of tools/gen_primus_fixtures.py', () => {
    const fixture = keysFixture();
    for (const [name, preset] of Object.entries(PRIMUS_PRESETS)) {
      const torch = fixture.presets[name]!;
      it(`should list the parameters of ${name} at [${torch.patchSize}] with their shapes, in PyTorch's order`, () => {
        const ours = primusParameterShapes(preset.config, { inChannels: 1, outChannels: 1, patchSize: torch.patchSize }).map(([k, s]) => [k, [...s]]);
        expect(ours).toEqual(torch.keys.filter(([, , kind]) => kind === 'param').map(([k, s]) => [k, s]));
        expect(torch.keys.filter(([, , kind]) => kind === 'buffer').map(([k, s]) => [k, s])).toEqual([['mask_token', [1, 1, preset.config.embedDim]]]);
        expect(primusParameterCount(preset.config, { inChannels: 1, outChannels: 1, patchSize: torch.patchSize })).toBe(torch.counts.trainable);
      });

      it(`should plan the PatchDecode widths of ${name} as DNA does (${torch.decodeChannels.join(' → ')})`, () => {
        expect(patchDecodePlan(preset.config.patchEmbedSize, preset.config.embedDim, 1).channels).toEqual(torch.decodeChannels);
      });
    }

    it("should give nnssl's EvaMAE-M decoder (2 blocks, 12 heads) the keys and 176,656,193 total of the reference", () => {
      const decoder = evaParameterShapes('decoder', { ...M, depth: 2 }, 8000);
      expect(decoder.map(([k, s]) => [k, [...s]])).toEqual(fixture.evaMaeM.keys.filter(([k]) => k !== 'mask_token'));
      const total = primusParameterCount(M, at160) + decoder.reduce((n, [, s]) => n + sizeOf(s), 0) + 864;
      expect(total).toBe(fixture.evaMaeM.parameters);
      expect(total).toBe(176_656_193);
    });
  });

  describe('having another output channel count', () => {
    it('should size the last transposed conv for it (5 outputs: widths 864 → 192 → 48 → 5)', () => {
      expect(patchDecodePlan([8, 8, 8], 864, 5).channels).toEqual([864, 192, 48, 5]);
    });
  });
});
