import type { Architecture } from './architecture.js';

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
  /** The pre-training plan (dataset, spacing, transposes, the trained configuration). */
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
 * The adaptation plan of a network built on `arch`: its nnssl class name and kwargs, the run's channels,
 * patch and preprocessing plan, and the encoder/stem/in-projection/position-embedding keys — prefixed
 * with `keyPrefix` when the method nests the architecture (e.g. 'backbone.').
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
    pretrain_plan: run.pretrainPlan ?? {},
    pretrain_num_input_channels: run.inChannels,
    recommended_downstream_patchsize: [...run.patchSize] as [number, number, number],
    key_to_encoder: keyPrefix + arch.keyToEncoder,
    key_to_stem: keyPrefix + arch.keyToStem,
    keys_to_in_proj: arch.keysToInProj.map((k) => keyPrefix + k),
    key_to_lpe: arch.keyToLpe ? keyPrefix + arch.keyToLpe : null,
  };
}
