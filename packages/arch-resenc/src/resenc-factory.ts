import { type ArchitectureFactory, type ArchitectureOptions, OpenMindError } from '@openmind-ssl/core';
import { resolveResEncConfig, totalStride } from './config.js';
import type { ResEncInit } from './init.js';
import { RESENC_PRESET_NAMES, resEncPreset } from './presets.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';

/** Factory options: core's plus the initialisation scheme. */
export interface ResEncArchitectureOptions extends ArchitectureOptions {
  /** 'pytorch' (default, nnssl pre-training) or 'he' (DNA `initialize`, nnU-Net fine-tuning). */
  init?: ResEncInit;
}

/** Core's ArchitectureFactory, typed with this package's options and network class. */
export interface ResEncFactory extends ArchitectureFactory {
  create(preset: string, options: ResEncArchitectureOptions): ResidualEncoderUNet;
}

/**
 * Builds Residual Encoder U-Nets by preset name ('resenc-l', 'resenc-small', 'resenc-tiny'); the
 * service this package binds under core's ArchitectureId, named 'resenc'.
 */
export const resencFactory: ResEncFactory = {
  name: 'resenc',
  presets: RESENC_PRESET_NAMES,
  /**
   * @throws OpenMindError for an unknown preset, or a patch size not divisible by the preset's total stride.
   */
  create(preset: string, options: ResEncArchitectureOptions): ResidualEncoderUNet {
    const p = resEncPreset(preset);
    const divisor = totalStride(resolveResEncConfig(p.config));
    if (options.patchSize.some((d, i) => !Number.isInteger(d) || d < 1 || d % divisor[i]! !== 0)) {
      throw new OpenMindError(
        `arch-resenc: patchSize [${options.patchSize.join(', ')}] must be divisible by the total stride [${divisor.join(', ')}] of preset "${preset}".`,
      );
    }
    return new ResidualEncoderUNet(p.config, {
      inChannels: options.inChannels,
      outChannels: options.outChannels,
      rng: options.rng,
      encoderOnly: options.encoderOnly ?? false,
      deepSupervision: options.deepSupervision ?? false,
      init: options.init ?? 'pytorch',
      archClassName: p.archClassName,
    });
  },
};
