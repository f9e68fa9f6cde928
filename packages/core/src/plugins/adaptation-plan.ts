import { OpenMindError } from '../errors/openmind-error.js';
import type { Architecture } from './architecture.js';

/**
 * The patch nnssl recommends for fine-tuning whatever the pre-training patch was (nnssl-spec §6.2); nnU-Net
 * copies it into the fine-tuning plan.
 */
export const RECOMMENDED_DOWNSTREAM_PATCH_SIZE: readonly [number, number, number] = [160, 160, 160];

/**
 * nnssl's adaptation plan: what a downstream fine-tuning run needs to rebuild the pre-trained
 * architecture and map its weights (nnssl-spec §6). Field names are nnssl's, so the JSON is
 * interchangeable with `adaptation_plan.json` of released checkpoints.
 */
export interface AdaptationPlan {
  architecture_plans: {
    arch_class_name: string;
    arch_kwargs: Record<string, unknown> | null;
    arch_kwargs_requiring_import: string[] | null;
  };
  /** The pre-training plan (dataset, spacing, transposes) holding only the configuration that was trained, with its patch. */
  pretrain_plan: Record<string, unknown>;
  pretrain_num_input_channels: number;
  recommended_downstream_patchsize: [number, number, number];
  /** Prefix of the encoder stages in the state dict (e.g. 'encoder.stages' or 'eva'). */
  key_to_encoder: string;
  /** Prefix of the stem (e.g. 'encoder.stem' or 'down_projection'). */
  key_to_stem: string;
  /** Input projections whose weights are repeated when the downstream task has more channels. */
  keys_to_in_proj: string[];
  /** Learned position embedding, resized when the downstream patch size differs (Primus). */
  key_to_lpe?: string | null;
}

/**
 * nnssl's `pretrain_plan`: the plan with its one configuration's `patch_size` set to the network input, as
 * nnssl's trainers set it before saving. {} stays {} (a store preprocessed without a plans file).
 * @throws OpenMindError when the plan holds other than one configuration (nnU-Net's plan transfer would
 * pick the wrong one).
 */
function trainedPretrainPlan(plan: Record<string, unknown> | undefined, patchSize: readonly [number, number, number]): Record<string, unknown> {
  if (!plan || Object.keys(plan).length === 0) return {};
  const configurations = plan['configurations'] as Record<string, Record<string, unknown>> | undefined;
  const names = Object.keys(configurations ?? {});
  if (!configurations || names.length !== 1) {
    throw new OpenMindError(`adaptation plan: pretrain_plan.configurations must hold exactly the trained configuration, but it holds ${names.length ? names.join(', ') : 'none'}.`);
  }
  const name = names[0]!;
  return { ...plan, configurations: { [name]: { ...configurations[name], patch_size: [...patchSize] } } };
}

/**
 * The adaptation plan of a network built on `arch`: its nnssl class name and kwargs, the run's channels
 * and preprocessing plan (its trained configuration, given the run's patch), nnssl's recommended
 * downstream patch (160³), and the encoder/stem/in-projection/position-embedding keys — prefixed with
 * `keyPrefix` when the method nests the architecture (e.g. 'backbone.').
 */
export function adaptationPlanOf(
  arch: Architecture,
  run: { inChannels: number; patchSize: readonly [number, number, number]; pretrainPlan?: Record<string, unknown> },
  keyPrefix = '',
): AdaptationPlan {
  const kwargs = arch.archKwargs;
  return {
    architecture_plans: {
      arch_class_name: arch.archClassName,
      arch_kwargs: kwargs,
      arch_kwargs_requiring_import: kwargs ? Object.keys(kwargs).filter((k) => typeof kwargs[k] === 'string') : null,
    },
    pretrain_plan: trainedPretrainPlan(run.pretrainPlan, run.patchSize),
    pretrain_num_input_channels: run.inChannels,
    recommended_downstream_patchsize: [...RECOMMENDED_DOWNSTREAM_PATCH_SIZE],
    key_to_encoder: keyPrefix + arch.keyToEncoder,
    key_to_stem: keyPrefix + arch.keyToStem,
    keys_to_in_proj: arch.keysToInProj.map((k) => keyPrefix + k),
    key_to_lpe: arch.keyToLpe ? keyPrefix + arch.keyToLpe : null,
  };
}
