import type { BenchmarkSpecInput } from '../spec.js';

const fullPatch: [number, number, number] = [160, 160, 160];
/** SimCLR and VoCo train on 64³ crops (nnssl: 192×192×64 and 256×256×64 loader patches, cut by the method). */
const cropPatch: [number, number, number] = [64, 64, 64];

/** Where the preset expects its data: `${OPENMIND_ROOT}` (pre-training) and `${OPENMIND_DOWNSTREAM}` (nnU-Net raw datasets). */
const downstreamRoot = '${OPENMIND_DOWNSTREAM}';

/** The paper's segmentation fine-tuning budget (finetune-spec §1.5.1 `_150ep`, §1.7): 150 × 250 steps, batch 2, 160³, 5 folds. */
const segmentation = (name: string, folder: string) => ({
  name,
  task: 'segmentation' as const,
  data: { path: `${downstreamRoot}/${folder}` },
  folds: [0, 1, 2, 3, 4],
  epochs: 150,
  iterations: 250,
  valIterations: 50,
  patchSize: fullPatch,
  batchSize: 2,
});

/** ResEnc-L rows: Sawtooth, the paper's best CNN schedule (openmind-paper §3.4); S3D is SparK, the CNN's masked method. */
const resencMethods = ['mae', 'spark', 'models-genesis', 'volume-fusion', 'simclr', 'voco', 'swinunetr'];
/** Primus-M rows: Warm-Up, the paper's best transformer schedule; SimMIM is the transformer's masked method. */
const primusMethods = ['mae', 'simmim', 'models-genesis', 'volume-fusion', 'simclr', 'voco', 'swinunetr'];
const cropMethods = new Set(['simclr', 'voco']);

/**
 * The OpenMind paper's protocol (openmind-paper.md §2–3, finetune-spec.md §1.5 and §2.4): pre-training on
 * OpenMind at 1 mm, 160³, batch 8, 1000 × 250 steps; ResEnc-L and Primus-M; 150-epoch fine-tuning with each
 * architecture's best schedule on 5 folds; from-scratch baselines of both architectures; the ABIDE
 * classification protocol. It needs GPUs: run it with `--shard i/n` on a cluster.
 */
export const OPENMIND_PRESET: BenchmarkSpecInput = {
  name: 'openmind',
  description: "The OpenMind paper's protocol: every method on ResEnc-L and Primus-M, 150-epoch fine-tuning, 5 folds (needs GPUs).",
  pretrainData: { path: '${OPENMIND_ROOT}' },
  preprocessConfig: 'onemmiso',
  pretrain: { epochs: 1000, iterations: 250, batchSize: 8, patchSize: fullPatch, seed: 0, valIterations: 50 },
  methods: [
    ...resencMethods.map((method) => ({ method, arch: 'resenc-l', schedules: ['sawtooth' as const], ...(cropMethods.has(method) ? { patchSize: cropPatch } : {}) })),
    ...primusMethods.map((method) => ({ method, arch: 'primus-m', schedules: ['warm-up' as const], ...(cropMethods.has(method) ? { patchSize: cropPatch } : {}) })),
  ],
  // nnU-Net's ResEnc-L from scratch (poly from 1e-2) and Primus-M from scratch (warm-up, AdamW 3e-4).
  scratch: [{ arch: 'resenc-l', schedule: 'default' }, { arch: 'primus-m', schedule: 'warm-up' }],
  downstream: [
    segmentation('isles22', 'Dataset001_ISLES22'),
    segmentation('hnts-mrg24', 'Dataset002_HNTSMRG24'),
    segmentation('ms-flair', 'Dataset003_MSFLAIR'),
    segmentation('topcow', 'Dataset004_TopCoW'),
    segmentation('acdc', 'Dataset005_ACDC'),
    segmentation('kits19', 'Dataset006_KiTS19'),
    {
      name: 'abide',
      task: 'classification',
      data: { path: `${downstreamRoot}/ABIDE` },
      folds: 3,
      epochs: 200,
      batchSize: 2,
      classification: { warmup: 20, lr: 1e-4, weightDecay: 1e-2, labelSmoothing: 0.2, accumulate: 48, crop: fullPatch },
    },
  ],
  seeds: [0],
  evaluation: { mirroring: true, step: 0.5 },
};
