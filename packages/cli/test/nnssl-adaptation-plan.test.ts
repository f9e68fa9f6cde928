import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resencFactory } from '@openmind-ssl/arch-resenc';
import { OnnxRuntimeBackend } from '@openmind-ssl/backend-onnxruntime';
import { type AdaptationPlan, Rng, setBackend } from '@openmind-ssl/core';
import { generateSyntheticOpenMind, preprocessDataset, readStorePretrainPlan } from '@openmind-ssl/data';
import { maeFactory } from '@openmind-ssl/ssl-mae';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * nnssl-spec §6.2: the serialized adaptation plan of BaseMAETrainer_BS8 on configuration onemmiso. The
 * dataset-dependent values ("…" in the spec) are left out here and compared with the store's own plans.
 */
const NNSSL_EXAMPLE = {
  architecture_plans: { arch_class_name: 'ResEncL', arch_kwargs: null, arch_kwargs_requiring_import: null },
  pretrain_plan: {
    plans_name: 'nnsslPlans',
    image_reader_writer: 'SimpleITKIO',
    configurations: {
      onemmiso: {
        data_identifier: 'nnsslPlans_onemmiso', preprocessor_name: 'DefaultPreprocessor', spacing_style: 'onemmiso',
        normalization_schemes: ['ZScoreNormalization'], use_mask_for_norm: [false],
        resampling_fn_data: 'resample_data_or_seg_to_shape', resampling_fn_mask: 'resample_data_or_seg_to_shape',
        spacing: [1, 1, 1], patch_size: [160, 160, 160],
      },
    },
    experiment_planner_used: 'ExperimentPlanner',
  },
  pretrain_num_input_channels: 1,
  recommended_downstream_patchsize: [160, 160, 160],
  key_to_encoder: 'encoder.stages',
  key_to_stem: 'encoder.stem',
  keys_to_in_proj: ['encoder.stem.convs.0.conv', 'encoder.stem.convs.0.all_modules.0'],
  key_to_lpe: null,
} as const;

let store = '';
let plans: Record<string, unknown> = {};
let plan: AdaptationPlan;
const backend = new OnnxRuntimeBackend({ spinning: false });

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'om-plan-'));
  await generateSyntheticOpenMind({ out: root, subjects: 2, seed: 3, sizeMm: 24 });
  store = (await preprocessDataset({ input: root, out: join(root, 'preprocessed'), workers: 0 })).dataDir;
  plans = JSON.parse(readFileSync(join(root, 'preprocessed', 'nnsslPlans.json'), 'utf8')) as Record<string, unknown>;
  await backend.init();
  setBackend(backend);
  // nnssl's BaseMAETrainer: ResEncL at 160³, trained on the store's configuration.
  plan = maeFactory.create({
    config: {}, architecture: resencFactory, preset: 'resenc-l', inChannels: 1, patchSize: [160, 160, 160], rng: new Rng(0),
    pretrainPlan: readStorePretrainPlan(store)!,
  }).adaptationPlan();
}, 300_000);

afterAll(() => backend.close());

describe("MAE's adaptation plan vs nnssl's serialized example (nnssl-spec §6.2)", () => {
  it('should have exactly the fields of the example, field by field', () => {
    expect(Object.keys(plan).sort()).toEqual(Object.keys(NNSSL_EXAMPLE).sort());
    for (const key of Object.keys(NNSSL_EXAMPLE) as (keyof typeof NNSSL_EXAMPLE)[]) {
      if (key !== 'pretrain_plan') expect(plan[key], key).toEqual(NNSSL_EXAMPLE[key]);
    }
  });

  it('should save only the trained configuration, with the trained patch, in pretrain_plan', () => {
    const p = plan.pretrain_plan as Record<string, unknown>;
    const expected = NNSSL_EXAMPLE.pretrain_plan;
    expect(Object.keys(p).sort()).toEqual([
      'configurations', 'dataset_name', 'experiment_planner_used', 'image_reader_writer', 'original_median_spacing_after_transp',
      'plans_name', 'transpose_backward', 'transpose_forward',
    ]);
    for (const key of ['plans_name', 'image_reader_writer', 'experiment_planner_used'] as const) expect(p[key], key).toBe(expected[key]);
    // The dataset-dependent fields are those of the plans file the store was preprocessed with.
    for (const key of ['dataset_name', 'original_median_spacing_after_transp', 'transpose_forward', 'transpose_backward']) {
      expect(p[key], key).toEqual(plans[key]);
    }
    const configurations = p['configurations'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(configurations)).toEqual(['onemmiso']);
    const c = configurations['onemmiso']!;
    for (const [key, value] of Object.entries(expected.configurations.onemmiso)) expect(c[key], key).toEqual(value);
    expect(c['resampling_fn_data_kwargs']).toEqual({ is_seg: false, order: 3, order_z: 0, force_separate_z: null });
    expect(c['resampling_fn_mask_kwargs']).toEqual({ is_seg: true, order: 1, order_z: 0, force_separate_z: null });
  });

  it('should recommend 160³ downstream and record the run patch in the configuration, whatever the run patch', () => {
    const small = maeFactory.create({
      config: { blockSize: 4 }, architecture: resencFactory, preset: 'resenc-tiny', inChannels: 1, patchSize: [64, 64, 48], rng: new Rng(0),
      pretrainPlan: readStorePretrainPlan(store)!,
    }).adaptationPlan();
    expect(small.recommended_downstream_patchsize).toEqual([160, 160, 160]);
    const configurations = (small.pretrain_plan as { configurations: Record<string, { patch_size: number[] }> }).configurations;
    expect(configurations['onemmiso']!.patch_size).toEqual([64, 64, 48]);
  });
});
