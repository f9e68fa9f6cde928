import { type AdaptationPlan, OpenMindError } from '@openmind-ssl/core';
import { resolveResEncConfig, type ResEncConfig, type ResolvedResEncConfig } from './config.js';
import { RESENC_PRESETS } from './presets.js';

/** nnssl's `architecture_plans` block of an adaptation plan. */
export type ArchitecturePlans = AdaptationPlan['architecture_plans'];

// The class paths nnssl writes for these layer types (`cls.__module__ + "." + cls.__name__` in torch 1.13–2.x).
const CONV_OP = 'torch.nn.modules.conv.Conv3d';
const NORM_OP = 'torch.nn.modules.instancenorm.InstanceNorm3d';
const NONLIN = 'torch.nn.modules.activation.LeakyReLU';

function sameArchitecture(a: ResolvedResEncConfig, b: ResolvedResEncConfig): boolean {
  const key = (c: ResolvedResEncConfig): string =>
    JSON.stringify([c.featuresPerStage, c.kernels, c.strideTriples, c.nBlocksPerStage, c.nConvPerStageDecoder, c.convBias, c.normEps, c.negativeSlope]);
  return key(a) === key(b);
}

/**
 * The `architecture_plans` nnssl records for this network. 'ResEncL' is a fixed architecture of nnssl's
 * registry and carries no kwargs; any other config is written as a dynamic 'ResidualEncoderUNet' with the
 * `DynamicArchitecturePlans` fields, in their order, so nnssl's `get_network_from_plans` rebuilds it.
 * `arch_kwargs_requiring_import` lists the fields holding class paths, as nnssl derives it.
 */
export function resEncArchitecturePlans(config: ResEncConfig, archClassName: string): ArchitecturePlans {
  const c = resolveResEncConfig(config);
  if (archClassName === 'ResEncL') {
    // The name alone stands for the architecture downstream, so it must really be ResEnc-L.
    if (!sameArchitecture(c, resolveResEncConfig(RESENC_PRESETS['resenc-l']!.config))) {
      throw new OpenMindError("ResidualEncoderUNet: archClassName 'ResEncL' needs the resenc-l config; use 'ResidualEncoderUNet' for any other config.");
    }
    return { arch_class_name: 'ResEncL', arch_kwargs: null, arch_kwargs_requiring_import: null };
  }
  const nonlinKwargs: Record<string, unknown> = { inplace: true };
  if (c.negativeSlope !== 0.01) nonlinKwargs['negative_slope'] = c.negativeSlope;
  return {
    arch_class_name: archClassName,
    arch_kwargs: {
      n_stages: c.nStages,
      features_per_stage: [...c.featuresPerStage],
      conv_op: CONV_OP,
      kernel_sizes: c.kernels.map((k) => [...k]),
      strides: c.strideTriples.map((s) => [...s]),
      n_blocks_per_stage: [...c.nBlocksPerStage],
      n_conv_per_stage_decoder: [...c.nConvPerStageDecoder],
      conv_bias: c.convBias,
      norm_op: NORM_OP,
      norm_op_kwargs: { eps: c.normEps, affine: true },
      dropout_op: null,
      dropout_op_kwargs: null,
      nonlin: NONLIN,
      nonlin_kwargs: nonlinKwargs,
    },
    arch_kwargs_requiring_import: ['conv_op', 'norm_op', 'nonlin'],
  };
}

// DNA accepts a single value for any per-stage list and repeats it; nnssl plans normally hold lists.
function perStage<T>(kwargs: Record<string, unknown>, name: string, n: number, isItem: (v: unknown) => v is T, expected: string): T[] {
  const v = kwargs[name];
  if (Number.isInteger(v) && isItem(v)) return Array.from({ length: n }, () => v);
  if (Array.isArray(v) && v.every(isItem)) return v;
  throw new OpenMindError(`architecture_plans.arch_kwargs: '${name}' must be ${expected} or a list of them, but got ${JSON.stringify(v)}.`);
}

const isInt = (v: unknown): v is number => Number.isInteger(v);
const isSize = (v: unknown): v is number | [number, number, number] =>
  Number.isInteger(v) || (Array.isArray(v) && v.length === 3 && v.every((y) => Number.isInteger(y)));

function layerType(kwargs: Record<string, unknown>, name: string, expected: string | null): void {
  const v = kwargs[name] ?? null;
  const short = (s: unknown): unknown => (typeof s === 'string' ? s.split('.').at(-1) : s);
  if (short(v) !== short(expected)) {
    throw new OpenMindError(
      `architecture_plans.arch_kwargs: '${name}' must be ${expected ?? 'null'} (the only layer type @openmind-ssl/arch-resenc builds), but got ${JSON.stringify(v)}.`,
    );
  }
}

/**
 * The config and arch_class_name of the network an nnssl `architecture_plans` block describes: 'ResEncL'
 * or a dynamic 'ResidualEncoderUNet' with Conv3d / InstanceNorm3d / LeakyReLU and no dropout.
 * @throws OpenMindError naming the field for any other architecture, layer type or malformed value.
 */
export function resEncConfigFromArchitecturePlans(plans: ArchitecturePlans): { config: ResEncConfig; archClassName: string } {
  const name = plans.arch_class_name.split('.').at(-1) ?? '';
  if (name === 'ResEncL') return { config: RESENC_PRESETS['resenc-l']!.config, archClassName: 'ResEncL' };
  if (name !== 'ResidualEncoderUNet' || !plans.arch_kwargs) {
    throw new OpenMindError(
      `architecture_plans: arch_class_name must be 'ResEncL' or 'ResidualEncoderUNet' with arch_kwargs, but got '${plans.arch_class_name}'${plans.arch_kwargs ? '' : ' without arch_kwargs'}.`,
    );
  }
  const k = plans.arch_kwargs;
  layerType(k, 'conv_op', CONV_OP);
  layerType(k, 'norm_op', NORM_OP);
  layerType(k, 'nonlin', NONLIN);
  layerType(k, 'dropout_op', null);
  const normKwargs = (k['norm_op_kwargs'] ?? {}) as Record<string, unknown>;
  // InstanceNorm3d defaults to affine=False; this package builds affine norms only (as every nnssl plan does).
  if (normKwargs['affine'] !== true) {
    throw new OpenMindError(`architecture_plans.arch_kwargs: 'norm_op_kwargs.affine' must be true, but got ${JSON.stringify(normKwargs['affine'])}.`);
  }
  const nonlinKwargs = (k['nonlin_kwargs'] ?? {}) as Record<string, unknown>;
  const n = Array.isArray(k['features_per_stage']) ? k['features_per_stage'].length : k['n_stages'];
  if (!isInt(n) || n < 2) throw new OpenMindError(`architecture_plans.arch_kwargs: 'n_stages' must be an integer ≥ 2, but got ${JSON.stringify(n)}.`);
  if (k['n_stages'] !== undefined && k['n_stages'] !== n) {
    throw new OpenMindError(`architecture_plans.arch_kwargs: 'n_stages' is ${JSON.stringify(k['n_stages'])}, but features_per_stage has ${n} entries.`);
  }
  const convBias = k['conv_bias'] ?? false;
  if (typeof convBias !== 'boolean') throw new OpenMindError(`architecture_plans.arch_kwargs: 'conv_bias' must be a boolean, but got ${JSON.stringify(convBias)}.`);
  const config: ResEncConfig = {
    featuresPerStage: perStage(k, 'features_per_stage', n, isInt, 'an integer'),
    kernelSizes: perStage(k, 'kernel_sizes', n, isSize, 'an integer or [d, h, w]'),
    strides: perStage(k, 'strides', n, isSize, 'an integer or [d, h, w]'),
    nBlocksPerStage: perStage(k, 'n_blocks_per_stage', n, isInt, 'an integer'),
    nConvPerStageDecoder: perStage(k, 'n_conv_per_stage_decoder', n - 1, isInt, 'an integer'),
    convBias,
    normEps: typeof normKwargs['eps'] === 'number' ? normKwargs['eps'] : 1e-5,
    negativeSlope: typeof nonlinKwargs['negative_slope'] === 'number' ? nonlinKwargs['negative_slope'] : 0.01,
  };
  resolveResEncConfig(config);
  return { config, archClassName: 'ResidualEncoderUNet' };
}
