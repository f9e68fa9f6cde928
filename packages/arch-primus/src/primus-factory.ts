import {
  type AdaptationPlan, type ArchitectureFactory, type ArchitectureOptions, type AttentionOptions, type DownstreamOptions, identityPytorchKeys,
  OpenMindError, type PlanBuildingFactory, type PytorchKeysFactory, type TokenNetworkFactory,
} from '@openmind-ssl/core';
import { primusConfigFromArchitecturePlans } from './architecture-plans.js';
import { PRIMUS_PRESET_NAMES, primusPreset } from './presets.js';
import { Primus } from './primus.js';

/** Factory options: core's plus stochastic depth and the attention block budget. */
export interface PrimusArchitectureOptions extends ArchitectureOptions {
  /** Stochastic depth of the last EVA block (default 0; nnssl's Primus MAE uses 0.2). */
  dropPathRate?: number;
  /** Score-block budget of every attention (see core's scaledDotProductAttention). */
  attention?: AttentionOptions;
}

/** Downstream options: core's plus stochastic depth and the attention block budget. */
export interface PrimusDownstreamOptions extends DownstreamOptions {
  dropPathRate?: number;
  attention?: AttentionOptions;
}

/** Core's ArchitectureFactory with its token, plan-building and PyTorch-key capabilities, typed with Primus. */
export interface PrimusFactory extends ArchitectureFactory, TokenNetworkFactory, PlanBuildingFactory, PytorchKeysFactory {
  create(preset: string, options: PrimusArchitectureOptions): Primus;
  createTokenNetwork(preset: string, options: PrimusArchitectureOptions): Primus;
  fromAdaptationPlan(plan: AdaptationPlan, options: PrimusDownstreamOptions): Primus;
}

const extras = (o: { dropPathRate?: number; attention?: AttentionOptions }) => ({
  ...(o.dropPathRate !== undefined ? { dropPathRate: o.dropPathRate } : {}),
  ...(o.attention ? { attention: o.attention } : {}),
});

function create(preset: string, options: PrimusArchitectureOptions): Primus {
  const p = primusPreset(preset);
  if (options.deepSupervision) throw new OpenMindError(`arch-primus: preset "${preset}" has no deep supervision (Primus decodes at one resolution).`);
  return new Primus(p.config, {
    inChannels: options.inChannels,
    outChannels: options.outChannels,
    patchSize: options.patchSize,
    rng: options.rng,
    archClassName: p.archClassName,
    encoderOnly: options.encoderOnly ?? false,
    ...extras(options),
  });
}

/**
 * Builds Primus networks by preset name ('primus-s', 'primus-b', 'primus-m', 'primus-l', 'primus-tiny')
 * or from an nnssl adaptation plan ('PrimusS' … 'PrimusL', 'Primus' + kwargs). Every network is a core
 * TokenNetwork; state-dict keys are DNA's exactly (no aliases). The service this package binds under
 * core's ArchitectureId, named 'primus'.
 */
export const primusFactory: PrimusFactory = {
  name: 'primus',
  presets: PRIMUS_PRESET_NAMES,
  archClassNames: ['PrimusS', 'PrimusB', 'PrimusM', 'PrimusL', 'Primus'],
  pytorchKeys: identityPytorchKeys,
  /**
   * @throws OpenMindError for an unknown preset, a patch size that is not a multiple of the 8³ tokens, or
   *   deep supervision (Primus has a single output).
   */
  create,
  /** As `create`: every Primus is a token network. */
  createTokenNetwork: create,
  /**
   * The network of an nnssl plan with the downstream channels and patch size (default the plan's
   * recommended one); a different patch size changes only the token grid, so `eva.pos_embed` must then
   * be resized on loading (interop's adaptPretrainedWeights does it).
   * @throws OpenMindError for another architecture, malformed kwargs, or a patch size that is not a multiple of the tokens.
   */
  fromAdaptationPlan(plan: AdaptationPlan, options: PrimusDownstreamOptions): Primus {
    if (options.deepSupervision) throw new OpenMindError('arch-primus: Primus has no deep supervision (it decodes at one resolution).');
    const { config, archClassName } = primusConfigFromArchitecturePlans(plan.architecture_plans);
    return new Primus(config, {
      inChannels: options.inChannels ?? plan.pretrain_num_input_channels,
      outChannels: options.outChannels,
      patchSize: options.patchSize ?? plan.recommended_downstream_patchsize,
      rng: options.rng,
      archClassName,
      encoderOnly: options.encoderOnly ?? false,
      ...extras(options),
    });
  },
};
