import { OpenMindError, selectBackend, setBackend } from '@openmind-ssl/core';
import type { Command } from '../args.js';
import { backendProviders, loadPlugins, runtimeOf } from '../plugins.js';
import { finetuneClassification } from './finetune-classification.js';
import { finetuneSegmentation, SEGMENTATION_OPTIONS } from './finetune-segmentation.js';

export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'Fine-tune a pre-trained encoder on a downstream task (segmentation, classification).',
  usage: 'finetune [--task segmentation|classification] --data <folder> (--pretrained <checkpoint> | --from-scratch --arch <preset>) [--schedule …] [--fold N] [--out <dir>] [options]',
  description: [
    'segmentation (default): --data is an nnU-Net v2 raw dataset (dataset.json, imagesTr/, labelsTr/). The run folder',
    'gets preprocessed/ (resumable), splits_final.json (nnU-Net\'s 5 folds), plan.json, training_log.jsonl (one line per',
    'epoch: losses, pseudo-Dice per class and its EMA, LR per parameter group), checkpoint_best/ and checkpoint_final/,',
    'validation/ (the fold\'s cases predicted at full size, summary.json with nnU-Net\'s metrics) and report/index.html.',
    'Schedules (finetune-spec §1.5): default (poly from 1e-2), warm-up (linear warm-up of the whole net, then poly),',
    'sawtooth (decoder first, then a fresh optimizer for all), frozen (encoder frozen), valley (decoder with falling LR,',
    'then warm-up of all). A CPU backend defaults to a 32³ patch, 10 epochs of 20 steps; a GPU to nnU-Net\'s sizes.',
    '',
    'classification: --data is a folder with images/<case>_<channel>.nii.gz and labels.csv (see',
    '@openmind-ssl/task-classification). The run folder gets config.json, fold-<k>/history.json and',
    'summary.json per fold, summary.json (mean ± sd over folds) and predictions.csv (the fold ensemble).',
    'A CPU backend defaults to a 32³ crop and 30 epochs (3 warm-up); a GPU backend to the reference\'s 160³, 200 (20).',
  ].join('\n'),
  options: {
    task: { type: 'string', help: 'downstream task', defaultText: 'segmentation', value: '<segmentation|classification>' },
    data: { type: 'string', help: 'dataset folder', value: '<folder>' },
    pretrained: { type: 'string', help: 'pre-trained checkpoint: openmind run folder, checkpoint, .safetensors or nnssl .pth', value: '<path>' },
    arch: { type: 'string', help: 'architecture preset for a from-scratch run (without --pretrained)', value: '<preset>' },
    finetune: { type: 'string', help: 'classification: full, linear-probe, sawtooth or lora (head + low-rank adapters)', defaultText: 'full', value: '<mode>' },
    'lora-rank': { type: 'string', help: 'classification --finetune lora: adapter rank r', defaultText: '8', value: '<r>' },
    'lora-alpha': { type: 'string', help: 'classification --finetune lora: scaling α (updates × α / r)', defaultText: '32', value: '<α>' },
    'lora-dropout': { type: 'string', help: 'classification --finetune lora: dropout on the adapter input', defaultText: '0.1', value: '<p>' },
    folds: { type: 'string', help: 'cross-validation folds (a splits.json in the data takes precedence)', defaultText: '3', value: '<k>' },
    epochs: { type: 'string', help: 'epochs', defaultText: 'by backend', value: '<n>' },
    warmup: { type: 'string', help: 'linear warm-up epochs', defaultText: 'by backend', value: '<n>' },
    lr: { type: 'string', help: 'AdamW peak learning rate', defaultText: '1e-4', value: '<x>' },
    'weight-decay': { type: 'string', help: 'AdamW weight decay', defaultText: '1e-2', value: '<x>' },
    'batch-size': { type: 'string', help: 'batch size', defaultText: '2', value: '<n>' },
    accumulate: { type: 'string', help: 'micro-batches per optimizer step', defaultText: '1', value: '<n>' },
    'label-smoothing': { type: 'string', help: 'cross-entropy label smoothing', defaultText: '0', value: '<x>' },
    dropout: { type: 'string', help: 'dropout before the head', defaultText: '0.2', value: '<p>' },
    crop: { type: 'string', help: 'crop centred on the head, 1 mm voxels: 160 or 160,192,192', defaultText: 'by backend', value: '<d[,h,w]>' },
    augmentation: { type: 'string', help: 'classification: nnunet (nnU-Net\'s list without its label steps, as the reference) or none', defaultText: 'nnunet', value: '<nnunet|none>' },
    normalization: { type: 'string', help: 'z-score over the head, or whole-volume (the reference\'s effective behaviour)', defaultText: 'head', value: '<head|whole-volume>' },
    backend: { type: 'string', help: 'compute backend (see `openmind backends`)', defaultText: '$OPENMIND_BACKEND or the best available', value: '<name>' },
    out: { type: 'string', help: 'run folder', defaultText: 'runs/finetune-<schedule>-fold<N> (segmentation), runs/classification', value: '<dir>' },
    seed: { type: 'string', help: 'random seed (folds, initialisation, shuffling)', defaultText: '0', value: '<n>' },
    plugin: { type: 'string', multiple: true, help: 'load a plugin package (architecture, backend)', value: '<package>' },
    ...SEGMENTATION_OPTIONS,
  },
  examples: [
    'openmind finetune --data nnUNet_raw/Dataset501_SynthLesion --pretrained runs/mae-resenc-small --schedule warm-up --fold 0 --out runs/ft',
    'openmind finetune --data nnUNet_raw/Dataset501_SynthLesion --from-scratch --arch resenc-small --out runs/ft-scratch',
    'openmind finetune --task classification --data abide --pretrained runs/mae-l --folds 3 --label-smoothing 0.2 --accumulate 48',
    'openmind finetune --task classification --data synth-cls --arch resenc-tiny --finetune full --epochs 15 --crop 16',
  ],
  async run(values) {
    const task = String(values['task'] ?? 'segmentation');
    if (task !== 'segmentation' && task !== 'classification') {
      throw new OpenMindError(`finetune: --task must be 'segmentation' or 'classification', got '${task}'.`);
    }
    if (values['data'] === undefined) throw new OpenMindError('finetune: --data <folder> is required.');
    const rt = runtimeOf(await loadPlugins((values['plugin'] as string[] | undefined) ?? []));
    const backend = await selectBackend(backendProviders(rt), values['backend'] as string | undefined);
    setBackend(backend);
    try {
      const cpu = backend.capabilities.device !== 'gpu';
      return task === 'segmentation'
        ? await finetuneSegmentation(values, rt, cpu, backend.name)
        : await finetuneClassification(values, rt, cpu);
    } finally {
      await backend.close();
    }
  },
};
