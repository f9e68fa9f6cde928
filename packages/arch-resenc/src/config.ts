import { OpenMindError } from '@openmind-ssl/core';

/** A spatial size per axis, ordered [d, h, w]. */
export type Triple = readonly [number, number, number];

/**
 * Hyper-parameters of a Residual Encoder U-Net, named after dynamic-network-architectures'
 * `ResidualEncoderUNet` arguments (camelCase here, snake_case in nnssl plans).
 */
export interface ResEncConfig {
  /** Output channels of each encoder stage, finest stage first (its length is the number of stages). */
  featuresPerStage: readonly number[];
  /** Kernel of the feature convolutions of each stage: one odd number (isotropic) or [d, h, w]. */
  kernelSizes: readonly (number | Triple)[];
  /** Downsampling of each stage's first block (stage 0 is usually 1): one number or [d, h, w]. */
  strides: readonly (number | Triple)[];
  /** BasicBlockD residual blocks per encoder stage. */
  nBlocksPerStage: readonly number[];
  /** Conv blocks per decoder stage (one entry per stage but the bottleneck). */
  nConvPerStageDecoder: readonly number[];
  /** Bias on the feature convolutions and transposed convolutions (the 1×1 skip projection never has one). */
  convBias: boolean;
  /** InstanceNorm3d epsilon. */
  normEps: number;
  /** LeakyReLU slope. */
  negativeSlope: number;
}

/** A config with every per-stage entry expanded to [d, h, w]. */
export interface ResolvedResEncConfig extends ResEncConfig {
  readonly nStages: number;
  readonly kernels: readonly Triple[];
  readonly strideTriples: readonly Triple[];
}

function toTriple(v: number | Triple, what: string): Triple {
  const t: Triple = typeof v === 'number' ? [v, v, v] : v;
  if (t.length !== 3 || t.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new OpenMindError(`ResidualEncoderUNet: ${what} must be a positive integer or [d, h, w] of positive integers, but got ${JSON.stringify(v)}.`);
  }
  return [t[0], t[1], t[2]];
}

function checkCounts(values: readonly number[], what: string, length: number): void {
  if (values.length !== length) {
    throw new OpenMindError(`ResidualEncoderUNet: ${what} must have ${length} entries, but got ${values.length} (${JSON.stringify(values)}).`);
  }
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new OpenMindError(`ResidualEncoderUNet: ${what} must hold positive integers, but got ${JSON.stringify(values)}.`);
  }
}

/**
 * Checks a config and expands its per-stage sizes.
 * @throws OpenMindError naming the field when a list has the wrong length, a count is not a positive
 *   integer, or a kernel is even (the "same" padding (k−1)/2 needs odd kernels).
 */
export function resolveResEncConfig(config: ResEncConfig): ResolvedResEncConfig {
  const nStages = config.featuresPerStage.length;
  if (nStages < 2) throw new OpenMindError(`ResidualEncoderUNet: featuresPerStage must have at least 2 stages, but got ${nStages}.`);
  checkCounts(config.featuresPerStage, 'featuresPerStage', nStages);
  checkCounts(config.nBlocksPerStage, 'nBlocksPerStage', nStages);
  checkCounts(config.nConvPerStageDecoder, 'nConvPerStageDecoder', nStages - 1);
  if (config.kernelSizes.length !== nStages || config.strides.length !== nStages) {
    throw new OpenMindError(
      `ResidualEncoderUNet: kernelSizes and strides must have ${nStages} entries (one per stage), but got ${config.kernelSizes.length} and ${config.strides.length}.`,
    );
  }
  const kernels = config.kernelSizes.map((k, s) => toTriple(k, `kernelSizes[${s}]`));
  kernels.forEach((k, s) => {
    if (k.some((x) => x % 2 === 0)) throw new OpenMindError(`ResidualEncoderUNet: kernelSizes[${s}] must be odd, but got [${k.join(', ')}].`);
  });
  const strideTriples = config.strides.map((st, s) => toTriple(st, `strides[${s}]`));
  if (!(config.normEps > 0)) throw new OpenMindError(`ResidualEncoderUNet: normEps must be > 0, but got ${config.normEps}.`);
  return { ...config, nStages, kernels, strideTriples };
}

/** The product of all strides per axis: input sizes must be divisible by it. */
export function totalStride(config: ResolvedResEncConfig): Triple {
  const t = [1, 1, 1];
  for (const st of config.strideTriples) for (let i = 0; i < 3; i++) t[i]! *= st[i]!;
  return [t[0]!, t[1]!, t[2]!];
}

/** "Same" padding of an odd kernel. */
export function samePadding(kernel: Triple): Triple {
  return [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2, (kernel[2] - 1) / 2];
}

/** Whether a stride actually downsamples. */
export function isStrided(stride: Triple): boolean {
  return stride.some((s) => s !== 1);
}
