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
