import { describe, expect, it } from 'vitest';
import { RESENC_PRESETS } from './presets.js';
import { resEncParameterShapes } from './parameter-shapes.js';
import { isTorchAliasKey, withoutTorchAliases, withTorchAliases } from './torch-aliases.js';
import { keysFixture } from './test-support/resenc-fixtures.js';

const fixture = keysFixture();

describe('withTorchAliases', () => {
  for (const [name, preset] of Object.entries(RESENC_PRESETS)) {
    it(`should rebuild the full PyTorch key list of ${name} (aliases included, same order and shapes)`, () => {
      const canonical = new Map(resEncParameterShapes(preset.config, { inChannels: 1, outChannels: 1 }));
      const full = [...withTorchAliases(canonical)].map(([k, s]) => [k, [...s]]);
      expect(full).toEqual(fixture.presets[name]!.keys.map(([k, s]) => [k, s]));
    });
  }

  it('should give resenc-l the 956 keys of the reference: 468 all_modules and 448 decoder.encoder aliases', () => {
    const full = [...withTorchAliases(new Map(resEncParameterShapes(RESENC_PRESETS['resenc-l']!.config, { inChannels: 1, outChannels: 1 }))).keys()];
    expect(full).toHaveLength(956);
    expect(full.filter((k) => k.includes('.all_modules.'))).toHaveLength(468);
    expect(full.filter((k) => k.startsWith('decoder.encoder.'))).toHaveLength(448);
  });

  it('should share values between a key and its aliases', () => {
    const w = { id: 'w' };
    const full = withTorchAliases(new Map([['encoder.stem.convs.0.conv.weight', w], ['decoder.seg_layers.0.weight', { id: 's' }]]));
    expect(full.get('encoder.stem.convs.0.all_modules.0.weight')).toBe(w);
    expect(full.get('decoder.encoder.stem.convs.0.all_modules.0.weight')).toBe(w);
  });
});

describe('withoutTorchAliases', () => {
  it('should drop every alias key of the full resenc-l list and keep the canonical ones in order', () => {
    const full = new Map(fixture.presets['resenc-l']!.keys.map(([k, s]) => [k, s] as const));
    const canonical = [...withoutTorchAliases(full).keys()];
    expect(canonical).toEqual(fixture.presets['resenc-l']!.keys.filter(([, , a]) => !a).map(([k]) => k));
  });

  it('should rename an alias whose canonical key is absent', () => {
    const out = withoutTorchAliases(new Map([['encoder.stem.convs.0.all_modules.1.weight', 1], ['decoder.encoder.stages.0.blocks.0.conv1.conv.bias', 2]]));
    expect([...out]).toEqual([['encoder.stem.convs.0.norm.weight', 1], ['encoder.stages.0.blocks.0.conv1.conv.bias', 2]]);
  });

  it('should keep unknown keys so a strict load can report them', () => {
    expect([...withoutTorchAliases(new Map([['foo.bar', 1]])).keys()]).toEqual(['foo.bar']);
  });
});

describe('isTorchAliasKey', () => {
  it('should recognise both kinds of alias and nothing else', () => {
    expect(isTorchAliasKey('encoder.stages.1.blocks.0.skip.1.all_modules.0.weight')).toBe(true);
    expect(isTorchAliasKey('decoder.encoder.stem.convs.0.conv.weight')).toBe(true);
    expect(isTorchAliasKey('encoder.stages.1.blocks.0.skip.1.conv.weight')).toBe(false);
    expect(isTorchAliasKey('decoder.stages.0.convs.0.norm.bias')).toBe(false);
  });
});
