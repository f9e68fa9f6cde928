import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSyntheticOpenMind } from '@openmind-ssl/data';
import type { Command } from '../args.js';
import { pretrainCommand } from './pretrain.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'The whole path on built-in data: synthesize an OpenMind-format dataset, preprocess it, pre-train MAE, write a report.',
  usage: 'demo [--out <dir>] [--backend <name>] [--epochs <n>] [--iterations <n>]',
  description: [
    'Writes 16 synthetic head MRIs (T1w/T2w/FLAIR-like, some defaced, some skull-stripped) in the OpenMind',
    'layout to sample-data/ (once), preprocesses them to 1 mm, and pre-trains MAE on a resenc-tiny network',
    'with 32³ patches — a few minutes on a 2-core CPU. Open <out>/report/index.html afterwards.',
    'An earlier run in <out> is replaced.',
  ].join('\n'),
  options: {
    out: { type: 'string', help: 'run folder', defaultText: 'runs/demo', value: '<dir>' },
    'sample-data': { type: 'string', help: 'where the synthetic dataset is written', defaultText: 'sample-data', value: '<dir>' },
    backend: { type: 'string', help: 'compute backend', defaultText: '$OPENMIND_BACKEND or the best available', value: '<name>' },
    epochs: { type: 'string', help: 'epochs', defaultText: '8', value: '<n>' },
    iterations: { type: 'string', help: 'steps per epoch', defaultText: '25', value: '<n>' },
    seed: { type: 'string', help: 'seed of data and training', defaultText: '0', value: '<n>' },
  },
  async run(values) {
    const sample = resolve(String(values['sample-data'] ?? 'sample-data'));
    // The OpenMind root holds openneuro_metadata.csv; the images live in its OpenMind/ folder.
    const root = sample;
    if (!existsSync(join(root, 'openneuro_metadata.csv'))) {
      process.stderr.write(`demo: writing synthetic OpenMind-format data to ${sample}\n`);
      await generateSyntheticOpenMind({ out: sample, subjects: 16, seed: Number(values.seed ?? 0) });
    }
    const out = String(values.out ?? join('runs', 'demo'));
    // Each demo is a fresh run: an earlier one in the same folder (it has run.json) is replaced.
    if (existsSync(join(out, 'run.json'))) {
      process.stderr.write(`demo: replacing the earlier demo run in ${out}\n`);
      await rm(out, { recursive: true, force: true });
    }
    return pretrainCommand.run(
      {
        data: root,
        method: 'mae',
        arch: 'resenc-tiny',
        // 8³ mask cells keep nnssl's 10-cells-per-axis granularity roughly at a 32³ patch.
        'method-config': '{"blockSize":8}',
        'patch-size': '32',
        epochs: String(values.epochs ?? 8),
        iterations: String(values.iterations ?? 25),
        seed: String(values.seed ?? 0),
        out,
        'checkpoint-every': String(values.iterations ?? 25),
        ...(values.backend ? { backend: values.backend } : {}),
      },
      [],
    );
  },
};
