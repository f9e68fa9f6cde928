import { OpenMindError, ProgressBar, selectBackend, setBackend } from '@openmind-ssl/core';
import { findPredictionCases, predictCases } from '@openmind-ssl/task-segmentation';
import type { Command } from '../args.js';
import { architectureFactories, backendProviders, loadPlugins, runtimeOf } from '../plugins.js';
import { loadSegmentationModelForInference } from '../segmentation-model.js';
import { classifierModelsOf, predictClassification } from './predict-classification.js';

export const predictCommand: Command = {
  name: 'predict',
  summary: "Segment NIfTI scans with fine-tuned networks (nnU-Net's sliding window), or classify them (class probabilities per case).",
  usage: 'predict --model <run dir|checkpoint> [--model …] --in <folder|file> --out <folder> [--no-mirroring] [--step 0.5] [--save-probabilities] [--backend <name>]',
  description: [
    "Cases are named as nnU-Net's: <case>_0000.nii.gz, <case>_0001.nii.gz, … one file per channel of the plan",
    '(a one-channel plan also takes plain <case>.nii.gz). Each case is preprocessed exactly as in training',
    '(transpose, crop to non-zero, z-score, resample), predicted with a sliding window (tiles every half patch,',
    'Gaussian weighting, mirroring over every axis subset: 8 passes per tile), its logits resampled back, and',
    'written as <out>/<case>.nii.gz (uint8 labels, the input\'s affine and header). Several --model average their',
    'logits (folds). Cases run one at a time; a case that fails is reported and the rest continue (exit 1 then).',
    '--save-probabilities also writes <case>_probabilities.nii.gz: softmax, float32, [X, Y, Z, classes].',
    '',
    'A classification run folder (or one fold\'s checkpoint) as --model classifies instead: every fold\'s network',
    '(an ensemble: logits summed, then softmax, as the reference), each case preprocessed as in training (1 mm,',
    'head-centred crop, z-score; masks/<case>.nii.gz beside images/ where present), and <out>/probabilities.csv',
    'with one row per case: case,<class 1>,<class 2>,…',
  ].join('\n'),
  options: {
    model: { type: 'string', multiple: true, help: 'fine-tuning run folder or checkpoint folder', value: '<dir>' },
    in: { type: 'string', help: 'folder of NIfTI scans, or one scan', value: '<folder|file>' },
    out: { type: 'string', help: 'folder for the predictions', value: '<folder>' },
    'no-mirroring': { type: 'boolean', help: 'skip mirror test-time augmentation (8× faster)' },
    step: { type: 'string', help: 'tile step as a fraction of the patch', value: '<fraction>', defaultText: '0.5' },
    'save-probabilities': { type: 'boolean', help: 'also write softmax probabilities per case' },
    backend: { type: 'string', help: 'compute backend (onnxruntime, tfjs, webgpu)', value: '<name>' },
    plugin: { type: 'string', multiple: true, help: 'load an architecture plugin package', value: '<package>' },
  },
  examples: [
    'openmind predict --model runs/ft-fold0 --in data/Dataset001/imagesTs --out runs/pred',
    'openmind predict --model runs/ft-fold0 --model runs/ft-fold1 --in scan_0000.nii.gz --out pred --no-mirroring',
    'openmind predict --model runs/classification --in new-scans --out pred-cls',
  ],
  async run(values) {
    const models = (values.model as string[] | undefined) ?? [];
    if (models.length === 0 || !values.in || !values.out) {
      throw new OpenMindError("openmind predict: --model, --in and --out are required. See 'openmind predict --help'.");
    }
    const step = values.step === undefined ? 0.5 : Number(values.step);
    if (!(step > 0 && step <= 1)) throw new OpenMindError(`openmind predict: --step must be a fraction in (0, 1], but got '${String(values.step)}'.`);
    const rt = runtimeOf(await loadPlugins((values.plugin as string[] | undefined) ?? []));
    const backend = await selectBackend(backendProviders(rt), values.backend as string | undefined);
    setBackend(backend);
    const architectures = architectureFactories(rt);
    const classifiers = await classifierModelsOf(models);
    if (classifiers) {
      try {
        return await predictClassification(classifiers, String(values.in), String(values.out), architectures);
      } finally {
        await backend.close?.();
      }
    }
    const loaded = [];
    for (const m of models) loaded.push(await loadSegmentationModelForInference(m, architectures));
    const plan = loaded[0]!.plan;
    for (const [i, l] of loaded.entries()) {
      if (JSON.stringify(l.plan) !== JSON.stringify(plan)) {
        throw new OpenMindError(`openmind predict: --model "${models[i]}" was trained under another plan than "${models[0]}"; an ensemble needs one plan.`);
      }
    }
    const cases = findPredictionCases(String(values.in), plan.channelNames.length);
    console.log(`predict: ${cases.length} case(s), ${loaded.length} model(s) on ${backend.name}, patch [${plan.patchSize.join(', ')}], mirroring ${values['no-mirroring'] ? 'off' : 'on'}`);
    let bar: ProgressBar | undefined;
    let label = '';
    const results = await predictCases(cases, {
      plan,
      networks: loaded.map((l) => (x) => l.network.forward(x)),
      outDir: String(values.out),
      step,
      mirroring: !values['no-mirroring'],
      saveProbabilities: Boolean(values['save-probabilities']),
      onCaseStart: (i, total, id) => {
        label = `case ${i + 1}/${total} ${id}`;
        bar = undefined;
      },
      onTile: (t) => {
        bar ??= new ProgressBar(label, t.total);
        bar.update(t.done, 'tiles');
      },
      onCaseEnd: (r) => console.log(r.error ? `${r.id}: FAILED — ${r.error}` : `${r.id} → ${r.file}`),
    });
    await backend.close?.();
    const failed = results.filter((r) => r.error);
    console.log(`predict: ${results.length - failed.length} of ${results.length} case(s) written to ${String(values.out)}${failed.length ? `; failed: ${failed.map((r) => r.id).join(', ')}` : ''}`);
    return failed.length ? 1 : 0;
  },
};
