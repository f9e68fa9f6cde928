import type { AdaptationPlan } from '@openmind-ssl/core';
import type { SegmentationPlan } from '../contract.js';

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

/** A one-channel, one-class plan on 1 mm for unit tests that need no dataset. */
export function testSegPlan(): SegmentationPlan {
  return {
    adaptationPlan: testAdaptationPlan(),
    patchSize: [8, 8, 8],
    spacingMode: 'like-pretrained',
    spacing: [1, 1, 1],
    transpose: [0, 1, 2],
    channelNames: ['MR'],
    normalization: ['zscore'],
    useMaskForNorm: [false],
    labels: { background: 0, lesion: 1 },
    numClasses: 2,
    ignoreLabel: null,
    batchDice: false,
    batchSize: 2,
    fileEnding: '.nii.gz',
  };
}
