import { type ArchitectureFactory, type ArchitectureOptions, type AttentionOptions, OpenMindError } from '@openmind-ssl/core';
import { PRIMUS_PRESET_NAMES, primusPreset } from './presets.js';
import { Primus } from './primus.js';

/** Factory options: core's plus stochastic depth and the attention block budget. */
export interface PrimusArchitectureOptions extends ArchitectureOptions {
  /** Stochastic depth of the last EVA block (default 0; nnssl's Primus MAE uses 0.2). */
  dropPathRate?: number;
  /** Score-block budget of every attention (see core's scaledDotProductAttention). */
  attention?: AttentionOptions;
}

/** Core's ArchitectureFactory, typed with this package's options and network class. */
export interface PrimusFactory extends ArchitectureFactory {
  /** Marks networks that are patch-token transformers, so methods can work on tokens (MAE drops them). */
  readonly networkKind: 'token-transformer';
  create(preset: string, options: PrimusArchitectureOptions): Primus;
}

/**
 * Builds Primus networks by preset name ('primus-s', 'primus-b', 'primus-m', 'primus-l', 'primus-tiny');
 * the service this package binds under core's ArchitectureId, named 'primus'.
 */
export const primusFactory: PrimusFactory = {
  name: 'primus',
  networkKind: 'token-transformer',
  presets: PRIMUS_PRESET_NAMES,
  /**
   * @throws OpenMindError for an unknown preset, a patch size that is not a multiple of the 8³ tokens, or
   *   deep supervision (Primus has a single output).
   */
  create(preset: string, options: PrimusArchitectureOptions): Primus {
    const p = primusPreset(preset);
    if (options.deepSupervision) throw new OpenMindError(`arch-primus: preset "${preset}" has no deep supervision (Primus decodes at one resolution).`);
    return new Primus(p.config, {
      inChannels: options.inChannels,
      outChannels: options.outChannels,
      patchSize: options.patchSize,
      rng: options.rng,
      archClassName: p.archClassName,
      encoderOnly: options.encoderOnly ?? false,
      ...(options.dropPathRate !== undefined ? { dropPathRate: options.dropPathRate } : {}),
      ...(options.attention ? { attention: options.attention } : {}),
    });
  },
};
