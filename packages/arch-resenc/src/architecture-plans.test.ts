import { describe, expect, it } from 'vitest';
import { resEncArchitecturePlans, resEncConfigFromArchitecturePlans } from './architecture-plans.js';
import { RESENC_PRESETS } from './presets.js';

const L = RESENC_PRESETS['resenc-l']!.config;
const TINY = RESENC_PRESETS['resenc-tiny']!.config;

describe('resEncArchitecturePlans', () => {
  it("should write 'ResEncL' without kwargs for resenc-l (nnssl-spec §6.2)", () => {
    expect(resEncArchitecturePlans(L, 'ResEncL')).toEqual({ arch_class_name: 'ResEncL', arch_kwargs: null, arch_kwargs_requiring_import: null });
  });

  it("should write a dynamic 'ResidualEncoderUNet' with nnssl's DynamicArchitecturePlans fields for other presets", () => {
    const plans = resEncArchitecturePlans(TINY, 'ResidualEncoderUNet');
    expect(plans.arch_class_name).toBe('ResidualEncoderUNet');
    expect(plans.arch_kwargs_requiring_import).toEqual(['conv_op', 'norm_op', 'nonlin']);
    expect(plans.arch_kwargs).toEqual({
      n_stages: 4,
      features_per_stage: [8, 16, 32, 64],
      conv_op: 'torch.nn.modules.conv.Conv3d',
      kernel_sizes: [[3, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3]],
      strides: [[1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2]],
      n_blocks_per_stage: [1, 1, 1, 1],
      n_conv_per_stage_decoder: [1, 1, 1],
      conv_bias: true,
      norm_op: 'torch.nn.modules.instancenorm.InstanceNorm3d',
      norm_op_kwargs: { eps: 1e-5, affine: true },
      dropout_op: null,
      dropout_op_kwargs: null,
      nonlin: 'torch.nn.modules.activation.LeakyReLU',
      nonlin_kwargs: { inplace: true },
    });
    // nnssl's field order (the dataclass order), so the JSON reads like nnssl's own.
    expect(Object.keys(plans.arch_kwargs!)).toEqual([
      'n_stages', 'features_per_stage', 'conv_op', 'kernel_sizes', 'strides', 'n_blocks_per_stage', 'n_conv_per_stage_decoder',
      'conv_bias', 'norm_op', 'norm_op_kwargs', 'dropout_op', 'dropout_op_kwargs', 'nonlin', 'nonlin_kwargs',
    ]);
  });

  it("should refuse 'ResEncL' for a config that is not resenc-l", () => {
    expect(() => resEncArchitecturePlans(TINY, 'ResEncL')).toThrow(/'ResEncL' needs the resenc-l config/);
  });
});

describe('resEncConfigFromArchitecturePlans', () => {
  it('should round-trip every preset', () => {
    for (const p of Object.values(RESENC_PRESETS)) {
      const back = resEncConfigFromArchitecturePlans(resEncArchitecturePlans(p.config, p.archClassName));
      expect(back.archClassName).toBe(p.archClassName);
      expect(resEncArchitecturePlans(back.config, back.archClassName)).toEqual(resEncArchitecturePlans(p.config, p.archClassName));
    }
  });

  it('should expand single per-stage values as DNA does', () => {
    const kwargs = { ...resEncArchitecturePlans(TINY, 'ResidualEncoderUNet').arch_kwargs!, kernel_sizes: 3, n_blocks_per_stage: 2, n_conv_per_stage_decoder: 1 };
    const { config } = resEncConfigFromArchitecturePlans({ arch_class_name: 'ResidualEncoderUNet', arch_kwargs: kwargs, arch_kwargs_requiring_import: null });
    expect(config.kernelSizes).toEqual([3, 3, 3, 3]);
    expect(config.nBlocksPerStage).toEqual([2, 2, 2, 2]);
    expect(config.nConvPerStageDecoder).toEqual([1, 1, 1]);
  });

  it('should name the field it cannot build', () => {
    const base = resEncArchitecturePlans(TINY, 'ResidualEncoderUNet');
    const withKwargs = (over: Record<string, unknown>) => ({ ...base, arch_kwargs: { ...base.arch_kwargs!, ...over } });
    expect(() => resEncConfigFromArchitecturePlans({ ...base, arch_class_name: 'PrimusM' })).toThrow(/arch_class_name must be 'ResEncL' or 'ResidualEncoderUNet'.*'PrimusM'/);
    expect(() => resEncConfigFromArchitecturePlans(withKwargs({ norm_op: 'torch.nn.modules.batchnorm.BatchNorm3d' }))).toThrow(/'norm_op' must be torch\.nn\.modules\.instancenorm\.InstanceNorm3d/);
    expect(() => resEncConfigFromArchitecturePlans(withKwargs({ dropout_op: 'torch.nn.Dropout3d' }))).toThrow(/'dropout_op' must be null/);
    expect(() => resEncConfigFromArchitecturePlans(withKwargs({ norm_op_kwargs: { eps: 1e-5 } }))).toThrow(/'norm_op_kwargs\.affine' must be true/);
    expect(() => resEncConfigFromArchitecturePlans(withKwargs({ n_blocks_per_stage: [1, 1] }))).toThrow(/nBlocksPerStage must have 4 entries/);
    expect(() => resEncConfigFromArchitecturePlans(withKwargs({ n_stages: 5 }))).toThrow(/'n_stages' is 5, but features_per_stage has 4 entries/);
  });
});
