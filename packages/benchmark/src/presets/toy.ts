import type { BenchmarkSpecInput } from '../spec.js';

/**
 * The toy benchmark, sized for a 2-core laptop, built to show the paper's headline effect — pre-training
 * helps segmentation when labelled data is scarce: pre-training sees many unlabelled synthetic heads
 * (24 subjects, several contrasts each, some hundred volumes) while fine-tuning gets 6 labelled lesion
 * cases (fold 0: 5 train, 1 validation... as nnU-Net splits them) and a short budget; each fold network is
 * scored on 10 held-out cases; 3 seeds. CPU presets (resenc-small, 32³ patches).
 */
export const TOY_PRESET: BenchmarkSpecInput = {
  name: 'toy',
  description: 'Synthetic data, CPU presets, short budgets, 3 seeds: MAE and Models Genesis vs scratch on a scarce-label lesion task.',
  backend: 'onnxruntime',
  pretrainData: { synth: { subjects: 24, sizeMm: 32, seed: 1 } },
  pretrain: { epochs: 10, iterations: 20, batchSize: 2, patchSize: [32, 32, 32], seed: 0, valIterations: 0, workers: 1 },
  methods: [
    { method: 'mae', arch: 'resenc-small', schedules: ['warm-up'] },
    { method: 'models-genesis', arch: 'resenc-small', schedules: ['warm-up'] },
  ],
  scratch: [{ arch: 'resenc-small', schedule: 'default' }],
  downstream: [
    {
      name: 'lesion',
      task: 'segmentation',
      data: { synth: { kind: 'lesion', cases: 6, sizeMm: 32, seed: 11 } },
      test: { synth: { kind: 'lesion', cases: 10, sizeMm: 32, seed: 12 } },
      folds: [0],
      epochs: 8,
      iterations: 15,
      valIterations: 2,
      patchSize: [32, 32, 32],
      batchSize: 2,
    },
  ],
  seeds: [0, 1, 2],
  evaluation: { mirroring: false, step: 0.5 },
};
