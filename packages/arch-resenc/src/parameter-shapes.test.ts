import { describe, expect, it } from 'vitest';
import { RESENC_PRESETS } from './presets.js';
import { resEncParameterCount, resEncParameterShapes } from './parameter-shapes.js';
import { keysFixture } from './test-support/resenc-fixtures.js';

const L = RESENC_PRESETS['resenc-l']!.config;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const countUnder = (prefix: string): number =>
  resEncParameterShapes(L, { inChannels: 1, outChannels: 1 }).reduce((n, [k, s]) => (k.startsWith(prefix) ? n + sizeOf(s) : n), 0);

describe('resEncParameterShapes', () => {
  describe('having the resenc-l preset with 1 input and 1 output channel', () => {
    it('should count exactly 102,348,965 parameters (nnssl-spec §4.1)', () => {
      expect(resEncParameterCount(L, { inChannels: 1, outChannels: 1 })).toBe(102_348_965);
    });

    it('should count 102,352,185 parameters with 5 output channels', () => {
      expect(resEncParameterCount(L, { inChannels: 1, outChannels: 5 })).toBe(102_352_185);
    });

    it('should split the count per part as the reference table does', () => {
      expect(countUnder('encoder.stem.')).toBe(960);
      expect([0, 1, 2, 3, 4, 5].map((s) => countUnder(`encoder.stages.${s}.`))).toEqual([55_488, 611_584, 3_329_280, 20_391_424, 32_718_720, 33_189_120]);
      expect(countUnder('encoder.')).toBe(90_296_576);
      expect(countUnder('decoder.stages.')).toBe(10_232_160);
      expect(countUnder('decoder.transpconvs.')).toBe(1_819_424);
      expect(countUnder('decoder.seg_layers.')).toBe(805);
    });

    it('should hold 264 canonical keys, among them the documented examples', () => {
      const keys = new Map(resEncParameterShapes(L, { inChannels: 1, outChannels: 1 }));
      expect(keys.size).toBe(264);
      expect(keys.get('encoder.stem.convs.0.conv.weight')).toEqual([32, 1, 3, 3, 3]);
      expect(keys.get('encoder.stages.1.blocks.0.skip.1.conv.weight')).toEqual([64, 32, 1, 1, 1]);
      expect(keys.has('encoder.stages.1.blocks.0.skip.1.conv.bias')).toBe(false);
      expect(keys.has('encoder.stages.5.blocks.0.skip.1.conv.weight')).toBe(false);
      expect(keys.get('decoder.stages.0.convs.0.conv.weight')).toEqual([320, 640, 3, 3, 3]);
      expect(keys.get('decoder.transpconvs.0.weight')).toEqual([320, 320, 2, 2, 2]);
      expect(keys.get('decoder.seg_layers.4.bias')).toEqual([1]);
    });
  });

  describe('against the PyTorch state dicts of tools/gen_resenc_fixtures.py', () => {
    const fixture = keysFixture();
    for (const [name, preset] of Object.entries(RESENC_PRESETS)) {
      it(`should list the non-alias keys of ${name} with their shapes, in PyTorch's order`, () => {
        const torch = fixture.presets[name]!.keys.filter(([, , alias]) => !alias).map(([k, s]) => [k, s]);
        const ours = resEncParameterShapes(preset.config, { inChannels: 1, outChannels: 1 }).map(([k, s]) => [k, [...s]]);
        expect(ours).toEqual(torch);
      });
    }
  });

  describe('having encoderOnly', () => {
    it('should list the encoder keys only', () => {
      const keys = resEncParameterShapes(L, { inChannels: 1, outChannels: 1, encoderOnly: true }).map(([k]) => k);
      expect(keys.every((k) => k.startsWith('encoder.'))).toBe(true);
      expect(resEncParameterCount(L, { inChannels: 1, outChannels: 1, encoderOnly: true })).toBe(90_296_576);
    });
  });
});
