import type { AdaptationPlan } from '@openmind-ssl/core';

/** A ResEnc-L adaptation plan as an OpenMind checkpoint carries it, with the given pre-training spacing. */
export function testAdaptationPlan(pretrainSpacingMm: unknown = [1, 1, 1]): AdaptationPlan {
  return {
    architecture_plans: { arch_class_name: 'ResEncL', arch_kwargs: null, arch_kwargs_requiring_import: null },
    pretrain_plan: { configurations: { onemmiso: { spacing: pretrainSpacingMm, patch_size: [160, 160, 160] } } },
    pretrain_num_input_channels: 1,
    recommended_downstream_patchsize: [160, 160, 160],
    key_to_encoder: 'encoder.stages',
    key_to_stem: 'encoder.stem',
    keys_to_in_proj: ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'],
    key_to_lpe: null,
  };
}
