import { didYouMean, OpenMindError } from '@openmind-ssl/core';
import type { ResEncConfig } from './config.js';

/** A named Residual Encoder U-Net configuration. */
export interface ResEncPreset {
  /** Preset id, the `--arch` value (e.g. 'resenc-l'). */
  readonly name: string;
  /**
   * nnssl's arch_class_name: 'ResEncL' is a fixed architecture in nnssl's registry; every other preset is
   * written as a dynamic 'ResidualEncoderUNet' whose arch_kwargs carry the config.
   */
  readonly archClassName: 'ResEncL' | 'ResidualEncoderUNet';
  readonly config: ResEncConfig;
  /** One line for help texts. */
  readonly description: string;
}

// Shared by every preset: nnssl's ResEnc-L uses these values (InstanceNorm eps 1e-5, LeakyReLU 0.01, conv bias).
const COMMON = { convBias: true, normEps: 1e-5, negativeSlope: 0.01 } as const;

/** The presets built into this package, from the same code. */
export const RESENC_PRESETS: Readonly<Record<string, ResEncPreset>> = {
  'resenc-l': {
    name: 'resenc-l',
    archClassName: 'ResEncL',
    description: 'ResEnc-L of nnssl/OpenMind: 6 stages [32…320], blocks [1,3,4,6,6,6], 102.3 M parameters (1→1)',
    config: {
      featuresPerStage: [32, 64, 128, 256, 320, 320],
      kernelSizes: [3, 3, 3, 3, 3, 3],
      strides: [1, 2, 2, 2, 2, 2],
      nBlocksPerStage: [1, 3, 4, 6, 6, 6],
      nConvPerStageDecoder: [1, 1, 1, 1, 1],
      ...COMMON,
    },
  },
  'resenc-small': {
    name: 'resenc-small',
    archClassName: 'ResidualEncoderUNet',
    description: 'CPU-sized: 5 stages [16…256], blocks [1,2,2,2,2], input divisible by 16',
    config: {
      featuresPerStage: [16, 32, 64, 128, 256],
      kernelSizes: [3, 3, 3, 3, 3],
      strides: [1, 2, 2, 2, 2],
      nBlocksPerStage: [1, 2, 2, 2, 2],
      nConvPerStageDecoder: [1, 1, 1, 1],
      ...COMMON,
    },
  },
  'resenc-tiny': {
    name: 'resenc-tiny',
    archClassName: 'ResidualEncoderUNet',
    description: 'demo/test-sized: 4 stages [8…64], one block each, input divisible by 8',
    config: {
      featuresPerStage: [8, 16, 32, 64],
      kernelSizes: [3, 3, 3, 3],
      strides: [1, 2, 2, 2],
      nBlocksPerStage: [1, 1, 1, 1],
      nConvPerStageDecoder: [1, 1, 1],
      ...COMMON,
    },
  },
};

/** Preset names, largest first. */
export const RESENC_PRESET_NAMES: readonly string[] = Object.keys(RESENC_PRESETS);

/**
 * Looks a preset up by name.
 * @throws OpenMindError listing the known presets (with a did-you-mean) for an unknown name.
 */
export function resEncPreset(name: string): ResEncPreset {
  const p = RESENC_PRESETS[name];
  if (!p) {
    throw new OpenMindError(
      `arch-resenc: no preset named "${name}".${didYouMean(name, RESENC_PRESET_NAMES)} Available: ${RESENC_PRESET_NAMES.join(', ')}.`,
    );
  }
  return p;
}
