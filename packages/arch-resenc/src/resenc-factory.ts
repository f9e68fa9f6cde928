import {
  type AdaptationPlan, type ArchitectureFactory, type ArchitectureOptions, type DownstreamOptions, OpenMindError, type PlanBuildingFactory,
  type PytorchKeysFactory, shortArchClassName,
} from '@openmind-ssl/core';
import { resEncConfigFromArchitecturePlans } from './architecture-plans.js';
import { resolveResEncConfig, totalStride } from './config.js';
import type { ResEncInit } from './init.js';
import { RESENC_PRESET_NAMES, resEncPreset } from './presets.js';
import { ResidualEncoderUNet } from './residual-encoder-unet.js';
import { resencPytorchKeys } from './torch-aliases.js';

/** Factory options: core's plus the initialisation scheme. */
export interface ResEncArchitectureOptions extends ArchitectureOptions {
  /** 'pytorch' (default, nnssl pre-training) or 'he' (DNA `initialize`, nnU-Net fine-tuning). */
  init?: ResEncInit;
}

/** Downstream options: core's plus the initialisation scheme. */
export interface ResEncDownstreamOptions extends DownstreamOptions {
  /** 'pytorch' (default) or 'he' (nnU-Net fine-tuning init). */
  init?: ResEncInit;
}

/** Core's ArchitectureFactory with its plan-building and PyTorch-key capabilities, typed with this package's network. */
export interface ResEncFactory extends ArchitectureFactory, PlanBuildingFactory, PytorchKeysFactory {
  create(preset: string, options: ResEncArchitectureOptions): ResidualEncoderUNet;
  fromAdaptationPlan(plan: AdaptationPlan, options: ResEncDownstreamOptions): ResidualEncoderUNet;
}

/** nnssl arch_class_names of the networks this package builds. */
const ARCH_CLASS_NAMES: readonly string[] = ['ResEncL', 'ResidualEncoderUNet'];

function checkDivisible(patchSize: readonly number[], divisor: readonly number[], what: string): void {
  if (patchSize.some((d, i) => !Number.isInteger(d) || d < 1 || d % divisor[i]! !== 0)) {
    throw new OpenMindError(`arch-resenc: patchSize [${patchSize.join(', ')}] must be divisible by the total stride [${divisor.join(', ')}] of ${what}.`);
  }
}

/**
 * Builds Residual Encoder U-Nets by preset name ('resenc-l', 'resenc-small', 'resenc-tiny') or from an
 * nnssl adaptation plan ('ResEncL', dynamic 'ResidualEncoderUNet'); maps state dicts to DNA's PyTorch keys.
 * The service this package binds under core's ArchitectureId, named 'resenc'.
 */
export const resencFactory: ResEncFactory = {
  name: 'resenc',
  presets: RESENC_PRESET_NAMES,
  archClassNames: ARCH_CLASS_NAMES,
  pytorchKeys: resencPytorchKeys,
  /**
   * @throws OpenMindError for an unknown preset, or a patch size not divisible by the preset's total stride.
   */
  create(preset: string, options: ResEncArchitectureOptions): ResidualEncoderUNet {
    const p = resEncPreset(preset);
    checkDivisible(options.patchSize, totalStride(resolveResEncConfig(p.config)), `preset "${preset}"`);
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
  /**
   * The network of an nnssl plan ('ResEncL' or a dynamic 'ResidualEncoderUNet'), with the downstream
   * channels; its encoder and stem keys and shapes are the pre-trained ones (the stem's input channels aside).
   * @throws OpenMindError for another architecture, unsupported layer types, or an indivisible patch size.
   */
  fromAdaptationPlan(plan: AdaptationPlan, options: ResEncDownstreamOptions): ResidualEncoderUNet {
    const name = shortArchClassName(plan.architecture_plans.arch_class_name);
    if (!ARCH_CLASS_NAMES.includes(name)) {
      throw new OpenMindError(`arch-resenc: adaptation plan architecture '${plan.architecture_plans.arch_class_name}' is not one this factory builds (${ARCH_CLASS_NAMES.join(', ')}).`);
    }
    const { config, archClassName } = resEncConfigFromArchitecturePlans(plan.architecture_plans);
    if (options.patchSize) checkDivisible(options.patchSize, totalStride(resolveResEncConfig(config)), `plan architecture '${archClassName}'`);
    return new ResidualEncoderUNet(config, {
      inChannels: options.inChannels ?? plan.pretrain_num_input_channels,
      outChannels: options.outChannels,
      rng: options.rng,
      encoderOnly: options.encoderOnly ?? false,
      deepSupervision: options.deepSupervision ?? false,
      init: options.init ?? 'pytorch',
      archClassName,
    });
  },
};
